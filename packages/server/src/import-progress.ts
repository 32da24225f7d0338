import type { ImportProgress, ImportSummary } from '@os-hypervisors/storage-sql';

export interface ProgressOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface ProgressOptions {
  /** Where the progress line is drawn (standard error, so standard output keeps the summary alone). */
  readonly output: ProgressOutput;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Monotonic ms. */
  readonly now?: () => number;
  /** Least time between two redraws (default 100 ms). */
  readonly intervalMs?: number;
}

const seconds = (s: number): string => (s < 60 ? `${Math.ceil(s)}s` : `${Math.floor(s / 60)}m${String(Math.ceil(s % 60)).padStart(2, '0')}s`);

/** One progress line: table, rows, tables, rate and time left (the rate so far, applied to what remains). */
export const progressLine = (p: ImportProgress, elapsedMs: number): string => {
  const rate = elapsedMs > 0 ? (p.rowsDone * 1000) / elapsedMs : 0;
  const left = rate > 0 ? seconds((p.rowsTotal - p.rowsDone) / rate) : '?';
  const pct = p.rowsTotal === 0 ? 100 : Math.floor((p.rowsDone * 100) / p.rowsTotal);
  return `importing ${p.table}: ${p.rowsDone}/${p.rowsTotal} rows (${pct}%), ${p.tablesDone}/${p.tablesTotal} tables, ${Math.round(rate)} rows/s, ~${left} left`;
};

/** The last line: what went in, how long it took, at what rate. */
export const importSummaryLine = (summary: ImportSummary, target: string, elapsedMs: number, rowsWritten: number): string => {
  const counts = Object.entries(summary).map(([table, n]) => `${n} ${table}`).join(', ');
  const rate = elapsedMs > 0 ? Math.round((rowsWritten * 1000) / elapsedMs) : rowsWritten;
  return `os-hypervisors: imported ${counts} into ${target} (${rowsWritten} rows in ${(elapsedMs / 1000).toFixed(1)}s, ${rate} rows/s)`;
};

/** CI systems set CI (GitHub, GitLab, Jenkins via plugins, …); a dumb terminal cannot redraw a line. */
export const progressWanted = (output: ProgressOutput, env: Readonly<Record<string, string | undefined>>): boolean =>
  output.isTTY === true && (env.CI === undefined || env.CI === '' || env.CI === 'false') && env.TERM !== 'dumb';

export interface ProgressRenderer {
  /** The import's callback; it draws only on a terminal outside CI, and counts rows always. */
  readonly onProgress: (p: ImportProgress) => void;
  /** Rows written so far (for the summary). */
  readonly rowsWritten: () => number;
  /** Clears the progress line before the summary or an error is printed. */
  finish(): void;
}

/** Redraws one line on a terminal (`\r`, cleared to its end), at most every `intervalMs`, and always at a table's end. */
export const progressRenderer = (options: ProgressOptions): ProgressRenderer => {
  const now = options.now ?? (() => performance.now());
  const started = now();
  let rows = 0;
  let drawn = false;
  let lastDraw = -Infinity;
  const draw = options.intervalMs ?? 100;
  const tty = progressWanted(options.output, options.env ?? process.env);
  const onProgress = (p: ImportProgress): void => {
    rows = p.rowsDone;
    if (!tty) return;
    const at = now();
    if (at - lastDraw < draw && p.tableRowsDone !== p.tableRowsTotal) return;
    lastDraw = at;
    // A pseudo-terminal may report 0 columns: then assume 80.
    const width = Math.max(20, (options.output.columns || 80) - 1);
    options.output.write(`\r${progressLine(p, at - started).slice(0, width)}\u001b[K`);
    drawn = true;
  };
  return {
    onProgress,
    rowsWritten: () => rows,
    finish: () => {
      if (drawn) options.output.write('\r\u001b[K');
      drawn = false;
    },
  };
};
