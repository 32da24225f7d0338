import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { redactSecrets } from './redact.js';

export type LogFormat = 'json' | 'pretty' | 'auto';
export const LOG_FORMATS: ReadonlyArray<LogFormat> = ['json', 'pretty', 'auto'];
export const LOG_LEVELS: ReadonlyArray<LevelWithSilent> = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface LoggerOptions {
  /** `auto` (default): pretty when the destination is a terminal, JSON lines otherwise. */
  readonly format?: LogFormat;
  /** Default `info` (one line per request). */
  readonly level?: LevelWithSilent;
  /** Default: standard output (file descriptor 1). */
  readonly destination?: DestinationStream & { isTTY?: boolean };
  /** Fields on every line (default `{ service: 'os-hypervisors' }`). */
  readonly base?: Record<string, unknown>;
}

/**
 * Field paths pino blanks out wherever they appear, as a second line of defence: this package never
 * logs headers, tokens or credentials, but a caller's `logger.info({ … })` might.
 */
export const REDACTED_PATHS = [
  'password', '*.password', 'token', '*.token', 'authToken', '*.authToken', 'headers', '*.headers',
  'req.headers', 'connectionString', '*.connectionString',
];

/**
 * A pino logger: JSON lines (one object per line, `time` in epoch ms, `level` as a number), or a human
 * format through pino-pretty (loaded only then) when the output is a terminal. Every message and error
 * text passes `redactSecrets` (URL passwords, `password=`, tokens) before it is written.
 */
export const createLogger = async (options: LoggerOptions = {}): Promise<Logger> => {
  const destination = options.destination ?? pino.destination({ dest: 1, sync: true });
  const isTTY = options.destination === undefined ? process.stdout.isTTY === true : options.destination.isTTY === true;
  const pretty = options.format === 'pretty' || ((options.format ?? 'auto') === 'auto' && isTTY);
  const settings = {
    level: options.level ?? 'info',
    base: options.base ?? { service: 'os-hypervisors' },
    redact: { paths: REDACTED_PATHS, censor: '***' },
    hooks: {
      // Messages are free text (a driver's error, an operator's URL): scrub them as well.
      logMethod(this: Logger, args: Parameters<Logger['info']>, method: (...a: unknown[]) => void) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? redactSecrets(a) : a)));
      },
    },
    serializers: {
      err: (e: unknown) => (e instanceof Error ? { type: e.constructor.name, message: redactSecrets(e.message) } : { message: redactSecrets(String(e)) }),
      reason: (r: unknown) => (typeof r === 'string' ? redactSecrets(r) : r),
    },
  };
  if (!pretty) return pino(settings, destination);
  const { default: prettyStream } = await import('pino-pretty');
  return pino(settings, prettyStream({ destination, colorize: isTTY, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service', sync: true }));
};

export type { Logger } from 'pino';
