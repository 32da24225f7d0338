/**
 * Column kinds as data: the migration creates columns from them, the importer checks values against
 * them (so a bad file is refused with the row and field named, before the database sees it), and the
 * query builder's row types are derived from them — one description, no hand-kept twin.
 */
export type ColumnKind = 'integer' | 'flag' | 'varchar' | 'text';

export interface ColumnSpec {
  readonly kind: ColumnKind;
  readonly nullable: boolean;
  /** varchar only: the most characters (text: TEXT_MAX_BYTES). */
  readonly length?: number;
}

export const integer = { kind: 'integer', nullable: false } as const;
/** Booleans are stored as 0/1 in every dialect, as Nova's MySQL does (tinyint): one comparison everywhere. */
export const flag = { kind: 'flag', nullable: false } as const;
export const text = { kind: 'text', nullable: false } as const;
export const varchar = <N extends number>(length: N) => ({ kind: 'varchar', nullable: false, length }) as const;
export const nullable = <C extends ColumnSpec>(column: C): Omit<C, 'nullable'> & { readonly nullable: true } => ({ ...column, nullable: true });

/** Nova's integer columns are 32-bit (sqlalchemy Integer). */
export const INTEGER_RANGE = { min: -(2 ** 31), max: 2 ** 31 - 1 } as const;

/**
 * Whether a value can be stored in an integer column. The importer refuses anything else, so queries may
 * answer "no such row" for other values without asking — PostgreSQL would reject them as parameters.
 */
export const fitsIntegerColumn = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) >= INTEGER_RANGE.min && (value as number) <= INTEGER_RANGE.max;

/**
 * The most UTF-8 bytes a `text` column holds: MySQL's MEDIUMTEXT, which Nova uses for them (plain TEXT
 * holds 64 KB). PostgreSQL and SQLite hold more, but the backends must accept the same files.
 */
export const TEXT_MAX_BYTES = 2 ** 24 - 1;

/** Whether a string can be stored: PostgreSQL refuses NUL in text (as a value and as a parameter). */
export const fitsTextColumn = (value: string): boolean => !value.includes('\u0000');

type ValueOf<C extends ColumnSpec> = C['kind'] extends 'integer' | 'flag' ? number : string;

/** The row type of a table described by column specs. */
export type RowOf<T extends Record<string, ColumnSpec>> = {
  -readonly [K in keyof T]: T[K]['nullable'] extends true ? ValueOf<T[K]> | null : ValueOf<T[K]>;
};
