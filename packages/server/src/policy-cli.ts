#!/usr/bin/env node
// The `os-hypervisors-policy` command: audits and single questions over the policy (docs/policy.md).
import { readFileSync } from 'node:fs';
import { runPolicyCli } from './policy-cli/main.js';

process.exitCode = runPolicyCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFileSync(path, 'utf8'),
});
