import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { describeRequest, requestArbitrary, requestTarget, type GeneratedRequest, type GrammarVocabulary } from '@os-hypervisors/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparable } from './compare.js';
import { buildHandler } from './our-handler.js';
import { DATASET, NOW, OTHER_PROJECT, PROJECT, uuidOf } from './dataset.js';
import { DOCUMENTED_DIFFERENCES, documentedDifference, type NovaAnswer } from './documented-differences.js';
import { NovaOracle, novaAvailability } from './nova-oracle.js';

/**
 * The generated half of the differential test: requests drawn from the grammar of
 * @os-hypervisors/testing (routes, ids, queries, headers, methods, media types, bodies), each sent to
 * Nova Zed in-process (bench/nova-oracle) and to our handler (profile nova) over the same dataset. An
 * answer must be byte for byte Nova's, or be explained by one of DOCUMENTED_DIFFERENCES (mirrored in
 * docs/behaviour.md); anything else fails, shrunk by fast-check to a minimal request.
 *
 * Seeded and reproducible: the seed is printed; OSH_DIFF_SEED and OSH_DIFF_RUNS override it and the
 * count (default 3,000); OSH_DIFF_REPORT=file.json writes the tally.
 */

const availability = novaAvailability();
const mustRun = Boolean(process.env.CI);
if (!availability.ok && !mustRun) console.warn(`generated differential test skipped: ${availability.reason}`);

const RUNS = Number(process.env.OSH_DIFF_RUNS ?? 3000);
const BATCH = 250;
/** Nova processes sharing the batches (a long run on a machine with cores to spare). */
const ORACLES = Number(process.env.OSH_DIFF_ORACLES ?? 1);
/** A long run tallies every undocumented difference instead of stopping at the first to shrink it. */
const KEEP_GOING = process.env.OSH_DIFF_KEEP_GOING === '1';
const SEED = process.env.OSH_DIFF_SEED === undefined ? (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0 : Number(process.env.OSH_DIFF_SEED);

const VOCABULARY: GrammarVocabulary = {
  project: PROJECT,
  otherProject: OTHER_PROJECT,
  nodeIds: [...DATASET.compute_nodes.flatMap((n) => [String(n.id), n.uuid ?? 'null']), '20', '999', uuidOf.node(999), uuidOf.node(1).toUpperCase(), uuidOf.node(1).replace(/-/g, '')],
  aggregateIds: [...DATASET.aggregates.map((a) => String(a.id)), '999', 'abc'],
  patterns: ['hyper', 'HYPER', 'hyper1', 'example', 'nomatch', 'ironic', 'unassigned', 'other4', 'a%2Fb', '%20', 'caf%C3%A9', '%ff', 'hyper_', 'h%25r'],
  host: 'openstack.example.com',
};

describe.skipIf(!availability.ok && !mustRun)('differential: generated requests, our handler (profile nova) vs Nova Zed', () => {
  let oracles: NovaOracle[] = [];
  beforeAll(async () => {
    if (!availability.ok) throw new Error(`CI is set but Nova cannot run: ${availability.reason}`);
    oracles = await Promise.all(Array.from({ length: ORACLES }, () => NovaOracle.start(DATASET, NOW)));
  }, 300_000);
  afterAll(async () => {
    await Promise.all(oracles.map((o) => o.close()));
  });

  it(`${RUNS} requests (seed ${SEED}) answer as Nova's, or as a documented difference`, async () => {
    // Reproduce a run: OSH_DIFF_SEED=<seed> OSH_DIFF_RUNS=<runs> npx vitest run packages/server/test/differential/nova-oracle.generated.test.ts
    console.log(`generated differential: OSH_DIFF_SEED=${SEED} OSH_DIFF_RUNS=${RUNS}`);
    const handler = buildHandler();
    const arbitrary = requestArbitrary(VOCABULARY);
    const tally = { runs: 0, identical: 0, byDifference: {} as Record<string, number>, byStatus: {} as Record<string, number> };

    /** One request to both sides: null when the answers agree or differ as documented, else the report. */
    const compare = async (r: GeneratedRequest, oracle = oracles[0]!): Promise<string | null> => {
      const [nova, ours] = await Promise.all([
        oracle.request({ method: r.method, path: requestTarget(r), headers: r.headers, ...(r.body === undefined ? {} : { body: r.body }) })
          .catch((e: Error): NovaAnswer => ({ error: e.message })),
        handler({ method: r.method, path: r.path, query: r.query, headers: r.headers, scheme: 'http', ...(r.body === undefined ? {} : { body: new TextEncoder().encode(r.body) }) }),
      ]);
      tally.runs++;
      tally.byStatus[ours.status] = (tally.byStatus[ours.status] ?? 0) + 1;
      if (!('error' in nova) && JSON.stringify(comparable(nova, r.method)) === JSON.stringify(comparable(ours, r.method))) {
        tally.identical++;
        return null;
      }
      const documented = documentedDifference(r, nova, ours);
      if (documented !== undefined) {
        tally.byDifference[documented.id] = (tally.byDifference[documented.id] ?? 0) + 1;
        return null;
      }
      const shown = (a: NovaAnswer) => ('error' in a ? a.error : JSON.stringify(comparable(a, r.method)).slice(0, 1500));
      return `undocumented difference for ${describeRequest(r)}\n  nova: ${shown(nova)}\n  ours: ${shown(ours)}`;
    };

    // Batches of requests go to Nova pipelined (its answers come back in order), which is many times
    // faster than one round trip each. Batch b is fast-check's sample for seed SEED + b, so a failure
    // replays as fc.assert({ seed: SEED + b, path: index }), which then shrinks it to a minimal request.
    const undocumented: string[] = [];
    const started = performance.now();
    const batches = Math.ceil(RUNS / BATCH);
    let next = 0;
    const worker = async (oracle: NovaOracle): Promise<void> => {
      for (let batch = next++; batch < batches; batch = next++) {
        const seed = (SEED + batch) | 0;
        const requests = fc.sample(arbitrary, { seed, numRuns: Math.min(BATCH, RUNS - batch * BATCH) });
        const reports = await Promise.all(requests.map((r) => compare(r, oracle)));
        const failed = reports.findIndex((x) => x !== null);
        if (failed >= 0 && KEEP_GOING) {
          undocumented.push(...reports.filter((x): x is string => x !== null).map((x) => `seed ${seed}: ${x}`));
        } else if (failed >= 0) {
          next = batches; // the other workers stop after their batch
          console.error(reports[failed]);
          await fc.assert(
            fc.asyncProperty(arbitrary, async (r) => {
              const report = await compare(r, oracle);
              if (report !== null) throw new Error(report);
            }),
            { seed, path: String(failed) },
          );
          throw new Error(`seed ${seed} request ${failed} differed, but not on replay: ${reports[failed]}`);
        }
      }
    };
    await Promise.all(oracles.map(worker));
    for (const u of undocumented.slice(0, 20)) console.error(u);
    const report = { date: new Date().toISOString(), seed: SEED, ...tally, undocumented: undocumented.length, seconds: Math.round((performance.now() - started) / 1000) };
    console.log(`generated differential: ${JSON.stringify(report)}`);
    if (process.env.OSH_DIFF_REPORT !== undefined) writeFileSync(process.env.OSH_DIFF_REPORT, `${JSON.stringify(report, null, 1)}\n`);
    // Most requests must reach the API and agree byte for byte, or the grammar has drifted off it.
    expect(tally.identical / tally.runs).toBeGreaterThan(0.8);
    expect(undocumented).toEqual([]);
  }, Math.max(300_000, RUNS * 100));

  it('every documented difference is a row of docs/behaviour.md', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../../../docs/behaviour.md', import.meta.url), 'utf8');
    for (const d of DOCUMENTED_DIFFERENCES) expect(doc, d.id).toContain(`| ${d.id} |`);
  });
});
