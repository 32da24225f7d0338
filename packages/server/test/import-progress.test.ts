import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importDatasetFromUrl, type ImportProgress } from '@os-hypervisors/storage-sql';
import { importSummaryLine, progressLine, progressRenderer, type ProgressOutput } from '../src/import-progress.js';
import { scaledDataset } from '../../storage-sql/test/support/scaled-dataset.js';

const terminal = (isTTY = true) => {
  const writes: string[] = [];
  const output: ProgressOutput = { isTTY, columns: 120, write: (t: string) => writes.push(t) };
  return { output, writes };
};

const step = (fields: Partial<ImportProgress>): ImportProgress => ({
  table: 'compute_nodes', tableRowsDone: 100, tableRowsTotal: 400, rowsDone: 500, rowsTotal: 2000, tablesDone: 1, tablesTotal: 7, ...fields,
});

describe('import progress line', () => {
  it('says table, rows, tables, rate and time left', () => {
    // 500 rows in 2 s: 250 rows/s, 1500 rows left: 6 s.
    expect(progressLine(step({}), 2000)).toBe('importing compute_nodes: 500/2000 rows (25%), 1/7 tables, 250 rows/s, ~6s left');
    expect(progressLine(step({ rowsDone: 10 }), 1000)).toMatch(/~3m19s left$/);
    expect(progressLine(step({ rowsDone: 0 }), 0)).toMatch(/0 rows\/s, ~\? left$/);
  });

  it('redraws one line on a terminal, at most every interval, always at a table\'s end; clears it at the end', () => {
    const { output, writes } = terminal();
    let now = 0;
    const r = progressRenderer({ output, env: {}, now: () => now, intervalMs: 100 });
    r.onProgress(step({ rowsDone: 200 }));
    now = 50;
    r.onProgress(step({ rowsDone: 400 })); // too soon: skipped
    r.onProgress(step({ rowsDone: 500, tableRowsDone: 400 })); // the table's last rows: drawn
    now = 400;
    r.onProgress(step({ rowsDone: 600 }));
    expect(writes).toHaveLength(3);
    expect(writes.every((w) => w.startsWith('\r') && w.endsWith('\u001b[K'))).toBe(true);
    r.finish();
    expect(writes.at(-1)).toBe('\r\u001b[K');
    expect(r.rowsWritten()).toBe(600);
  });

  it.each([
    ['not a terminal', false, {}],
    ['CI', true, { CI: 'true' }],
    ['a dumb terminal', true, { TERM: 'dumb' }],
  ])('is quiet when the output is %s, and still counts rows', (_what, isTTY, env) => {
    const { output, writes } = terminal(isTTY);
    const r = progressRenderer({ output, env });
    r.onProgress(step({ rowsDone: 2000, tableRowsDone: 400 }));
    r.finish();
    expect(writes).toEqual([]);
    expect(r.rowsWritten()).toBe(2000);
  });

  it('the summary line: counts, time and rate, no credentials', () => {
    expect(importSummaryLine({ services: 3, compute_nodes: 3, aggregates: 1, instances: 6 }, 'postgres://db:5432/nova', 2000, 20))
      .toBe('os-hypervisors: imported 3 services, 3 compute_nodes, 1 aggregates, 6 instances into postgres://db:5432/nova (20 rows in 2.0s, 10 rows/s)');
  });
});

describe('storage-sql import reports its progress to the callback', () => {
  it('after every INSERT, rows growing to the total and every table done', async () => {
    const file = join(tmpdir(), `osh-progress-${process.pid}-${Date.now()}.sqlite`);
    const events: ImportProgress[] = [];
    try {
      const dataset = scaledDataset(450, 1);
      const imported = await importDatasetFromUrl(`sqlite:${file}`, dataset, { onProgress: (p) => events.push(p) });
      expect(imported._tag).toBe('Right');
      const last = events.at(-1)!;
      expect(last.rowsDone).toBe(last.rowsTotal);
      expect(last.tablesDone).toBe(7);
      expect(last.rowsTotal).toBeGreaterThanOrEqual(dataset.services.length + dataset.compute_nodes.length + dataset.instances.length);
      // 450 nodes go in as 200 + 200 + 50 rows.
      expect(events.filter((e) => e.table === 'compute_nodes').map((e) => e.tableRowsDone)).toEqual([200, 400, 450]);
      for (let i = 1; i < events.length; i += 1) {
        expect(events[i]!.rowsDone).toBeGreaterThanOrEqual(events[i - 1]!.rowsDone);
        expect(events[i]!.tablesDone).toBeGreaterThanOrEqual(events[i - 1]!.tablesDone);
      }
    } finally {
      await Promise.all(['', '-wal', '-shm'].map((s) => rm(`${file}${s}`, { force: true })));
    }
  });
});
