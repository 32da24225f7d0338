/** The part of a pino logger this package writes to (any logger with these methods will do). */
export interface LogSink {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}
