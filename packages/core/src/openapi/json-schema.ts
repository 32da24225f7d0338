import type * as t from 'io-ts';

/** A JSON Schema (2020-12, the dialect of OpenAPI 3.1) as plain data. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** Refinements that JSON Schema can name: io-ts's `Int` and the codecs' own brands. */
const REFINEMENTS: Readonly<Record<string, JsonSchema>> = {
  Int: { type: 'integer' },
  Uuid: { type: 'string', format: 'uuid' },
  Uri: { type: 'string', format: 'uri' },
};

/** The io-ts runtime-type shapes this converter reads (io-ts exposes them as `_tag`ged classes). */
interface AnyCodec {
  readonly _tag: string;
  readonly name: string;
  readonly props?: Readonly<Record<string, AnyCodec>>;
  readonly types?: ReadonlyArray<AnyCodec>;
  readonly type?: AnyCodec;
  readonly value?: unknown;
  readonly keys?: Readonly<Record<string, unknown>>;
  readonly codomain?: AnyCodec;
}

const OBJECT_TAGS = new Set(['InterfaceType', 'PartialType', 'IntersectionType', 'StrictType', 'ExactType']);

/**
 * An object codec's fields: `t.type` members are required, `t.partial` ones optional; intersections
 * merge into one closed object (Nova's response schemas are `additionalProperties: false`).
 */
const objectSchema = (codec: AnyCodec): JsonSchema => {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const collect = (c: AnyCodec): void => {
    if (c._tag === 'IntersectionType') {
      for (const member of c.types ?? []) collect(member);
    } else if (c._tag === 'ExactType' || c._tag === 'StrictType') {
      collect(c.type ?? c);
    } else if (c._tag === 'InterfaceType' || c._tag === 'PartialType') {
      for (const [name, prop] of Object.entries(c.props ?? {})) {
        properties[name] = toJsonSchema(prop);
        if (c._tag === 'InterfaceType' && !required.includes(name)) required.push(name);
      }
    } else {
      throw new Error(`io-ts ${c._tag} (${c.name}) inside an object intersection has no JSON Schema`);
    }
  };
  collect(codec);
  return { type: 'object', properties, required, additionalProperties: false };
};

/** `{type: X}` alone: such union members merge into one `type` list (`["integer", "null"]`). */
const bareType = (schema: JsonSchema): string | null =>
  Object.keys(schema).length === 1 && typeof schema.type === 'string' ? schema.type : null;

const toJsonSchema = (codec: AnyCodec): JsonSchema => {
  switch (codec._tag) {
    case 'StringType': return { type: 'string' };
    case 'NumberType': return { type: 'number' };
    case 'BooleanType': return { type: 'boolean' };
    case 'NullType': return { type: 'null' };
    case 'LiteralType': return { const: codec.value };
    case 'KeyofType': return { enum: Object.keys(codec.keys ?? {}) };
    case 'AnyDictionaryType': return { type: 'object' };
    case 'UnknownType': return {};
    case 'ArrayType': return { type: 'array', items: toJsonSchema(codec.type!) };
    case 'TupleType': {
      const items = (codec.types ?? []).map(toJsonSchema);
      return { type: 'array', prefixItems: items, minItems: items.length, maxItems: items.length };
    }
    case 'DictionaryType': return { type: 'object', additionalProperties: toJsonSchema(codec.codomain!) };
    case 'RefinementType': return REFINEMENTS[codec.name] ?? toJsonSchema(codec.type!);
    case 'UnionType': {
      const members = (codec.types ?? []).map(toJsonSchema);
      const types = members.map(bareType);
      if (types.every((x): x is string => x !== null)) return { type: types };
      // `X | null` where X has more keywords: X's keywords apply to a non-null value only.
      const nonNull = members.filter((m) => bareType(m) !== 'null');
      if (nonNull.length === 1 && members.length === 2 && typeof nonNull[0]!.type === 'string') {
        return { ...nonNull[0], type: [nonNull[0]!.type, 'null'] };
      }
      return { anyOf: members };
    }
    default:
      if (OBJECT_TAGS.has(codec._tag)) return objectSchema(codec);
      throw new Error(`io-ts ${codec._tag} (${codec.name}) has no JSON Schema here`);
  }
};

/** The JSON Schema of what an io-ts codec accepts (the subset of io-ts the response codecs use). */
export const jsonSchemaOf = (codec: t.Mixed): JsonSchema => toJsonSchema(codec as unknown as AnyCodec);
