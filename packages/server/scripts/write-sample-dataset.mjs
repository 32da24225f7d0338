// Writes the bundled sample dataset to data/sample-dataset.json for people who want a file to edit or
// import. The file's timestamps are fixed at SAMPLE_FILE_NOW: served as-is today every host looks down
// (heartbeats too old), so serve it with a large --service-down-time, or use the built-in dataset
// (no --data), whose heartbeats are placed at start-up.
// Run after `pnpm build`: node packages/server/scripts/write-sample-dataset.mjs
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSampleDataset, SAMPLE_FILE_NOW } from '../dist/sample-dataset.js';

const target = fileURLToPath(new URL('../data/sample-dataset.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(buildSampleDataset(new Date(SAMPLE_FILE_NOW)), null, 2)}\n`);
console.log(`wrote ${target}`);
