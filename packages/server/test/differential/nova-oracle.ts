import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Dataset } from '@os-hypervisors/core';

/** bench/nova-oracle/oracle.py: Nova Zed's own API in-process over a dataset (see its docstring). */
export const ORACLE_SCRIPT = fileURLToPath(new URL('../../../../bench/nova-oracle/oracle.py', import.meta.url));
/** Debian's python3-nova is installed for the system interpreter, not for a pyenv `python3` on PATH. */
export const ORACLE_PYTHON = process.env.NOVA_ORACLE_PYTHON ?? '/usr/bin/python3';
/** What the oracle imports; python3-nova alone provides it (no test packages needed). */
const PROBE = 'import nova.api.openstack.compute, nova.db.migration, nova.compute.rpcapi';

export interface OracleRequest {
  readonly method: string;
  /** Raw path, percent-encoded as on the wire, with `?query` if any. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** WSGI's SCRIPT_NAME: the API mounted below this path (`/compute`), `path` being the part below. */
  readonly script_name?: string;
  /** Request body text; its Content-Length is the headers' or, without one, its UTF-8 length. */
  readonly body?: string;
}

export interface OracleResponse {
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
}

/** Whether Nova can run here; the reason when not (python missing, python3-nova missing). */
export const novaAvailability = (): { ok: true } | { ok: false; reason: string } => {
  const probe = spawnSync(ORACLE_PYTHON, ['-c', PROBE], { encoding: 'utf8', timeout: 60_000 });
  if (probe.error) return { ok: false, reason: `${ORACLE_PYTHON} cannot run (${probe.error.message})` };
  if (probe.status !== 0) {
    const last = probe.stderr.trim().split('\n').pop() ?? '';
    return { ok: false, reason: `${ORACLE_PYTHON} cannot import Nova (apt-get install python3-nova): ${last}` };
  }
  return { ok: true };
};

/** A long-lived oracle process: requests go one per line, answers come back in order. */
export class NovaOracle {
  private readonly pending: Array<{ resolve: (r: OracleResponse) => void; reject: (e: Error) => void }> = [];
  private stderr = '';
  private exited: Error | null = null;

  private constructor(private readonly child: ChildProcessWithoutNullStreams, private readonly dir: string, readonly novaVersion: string) {}

  static async start(dataset: Dataset, now: Date, extraArgs: ReadonlyArray<string> = []): Promise<NovaOracle> {
    const dir = mkdtempSync(join(tmpdir(), 'nova-oracle-'));
    const file = join(dir, 'dataset.json');
    writeFileSync(file, JSON.stringify(dataset));
    const child = spawn(ORACLE_PYTHON, [ORACLE_SCRIPT, '--dataset', file, '--now', now.toISOString().slice(0, 19), ...extraArgs], { stdio: 'pipe' });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr = (stderr + d).slice(-20_000); });
    const lines = createInterface({ input: child.stdout });
    const ready = await new Promise<{ nova: string }>((resolve, reject) => {
      lines.once('line', (line) => {
        try { resolve(JSON.parse(line) as { nova: string }); } catch { reject(new Error(`oracle said: ${line}`)); }
      });
      child.once('exit', (code) => reject(new Error(`oracle exited (${code}) before it was ready:\n${stderr}`)));
      child.once('error', reject);
    });
    const oracle = new NovaOracle(child, dir, ready.nova);
    child.stderr.removeAllListeners('data');
    child.stderr.on('data', (d: string) => { oracle.stderr = (oracle.stderr + d).slice(-20_000); });
    lines.on('line', (line) => {
      const waiter = oracle.pending.shift();
      if (waiter === undefined) return;
      const parsed = JSON.parse(line) as OracleResponse & { error?: string };
      if (parsed.error !== undefined) waiter.reject(new Error(`oracle failed: ${parsed.error}`));
      else waiter.resolve({ status: parsed.status, headers: parsed.headers.map(([k, v]) => [k, v] as const), body: parsed.body });
    });
    child.on('exit', (code) => {
      oracle.exited = new Error(`oracle exited (${code}):\n${oracle.stderr}`);
      for (const w of oracle.pending.splice(0)) w.reject(oracle.exited);
    });
    return oracle;
  }

  request(req: OracleRequest): Promise<OracleResponse> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.child.stdin.write(`${JSON.stringify(req)}\n`);
    });
  }

  async close(): Promise<void> {
    if (this.exited === null) {
      const gone = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.stdin.end();
      await gone;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
