import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, createWriteStream, openSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { PYTHON } from './python.js';

/** The package's Python scripts (python/), shipped beside dist/. */
export const pythonScript = (name: string): string =>
  fileURLToPath(new URL(`../python/${name}`, import.meta.url));

/** A TCP port free on loopback right now (the kernel's choice); the caller binds it soon after. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface SupervisedProcess {
  readonly child: ChildProcess;
  /** Resolves with the exit code (signals as 128+n) once the process has ended. */
  readonly exited: Promise<number>;
  /** Ends the process (SIGTERM through the supervisor) and waits for it. */
  stop(): Promise<void>;
}

/**
 * Starts `command args` under python/supervise.py, which ends it when this Node process goes away (its
 * stdin pipe closes), so a crashed or killed test run leaves no server behind. Output goes to `logFile`.
 */
export function spawnSupervised(
  command: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; logFile: string },
): SupervisedProcess {
  const log = openSync(opts.logFile, 'a');
  const child = spawn(PYTHON, [pythonScript('supervise.py'), command, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['pipe', log, log],
  });
  closeSync(log);
  const exited = new Promise<number>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15)));
    child.on('error', () => resolve(127));
  });
  return {
    child,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.stdin?.end();
      await exited;
    },
  };
}

/** Last `lines` lines of a log file, for error messages. */
export function logTail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * Polls `url` until it answers (any HTTP status below 500), the process ends, or `timeoutMs` passes.
 * Rejects in the latter two cases with the log's tail.
 */
export async function waitForHttp(
  url: string,
  proc: SupervisedProcess,
  opts: { timeoutMs?: number; logFile: string },
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let ended: number | undefined;
  void proc.exited.then((code) => (ended = code));
  for (;;) {
    if (ended !== undefined) throw new Error(`${url}: the server exited (${ended}) before answering:\n${logTail(opts.logFile)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url}: no answer within ${opts.timeoutMs ?? 60_000} ms:\n${logTail(opts.logFile)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface ReadyProcess<T> {
  /** The JSON object of the process's first stdout line. */
  readonly ready: T;
  readonly exited: Promise<void>;
  /** Closes its stdin (it ends itself then) and waits for it. */
  stop(): Promise<void>;
}

/**
 * Starts a Python script that prints one JSON "ready" line on stdout once it serves, writes its log to
 * stderr, and ends when its stdin closes (python/auth_token_reference.py, bench/nova-oracle/oracle.py
 * --listen). stderr goes to `logFile`.
 */
export async function startPythonServer<T>(script: string, args: readonly string[], logFile: string, env?: NodeJS.ProcessEnv): Promise<ReadyProcess<T>> {
  const log = createWriteStream(logFile);
  const child = spawn(PYTHON, [script, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  child.stderr.pipe(log);
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const ready = await new Promise<T>((resolve, reject) => {
    lines.once('line', (line) => {
      try {
        resolve(JSON.parse(line) as T);
      } catch (e) {
        reject(e);
      }
    });
    void exited.then(() => reject(new Error(`${script} exited before it was ready:\n${logTail(logFile)}`)));
  });
  return {
    ready,
    exited,
    async stop() {
      child.stdin.end();
      await exited;
      log.end();
    },
  };
}
