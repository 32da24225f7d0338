/** A bounded wait ran out: `query` while a statement ran, `connection` while waiting for a connection. */
export class DeadlineExceeded extends Error {
  constructor(
    readonly waitingFor: 'query' | 'connection',
    readonly ms: number,
  ) {
    super(waitingFor === 'query' ? `query did not finish within ${ms} ms` : `no database connection within ${ms} ms`);
    this.name = 'DeadlineExceeded';
  }
}

/**
 * Settles with `work` or rejects with DeadlineExceeded after `ms`, whichever comes first. A late result is
 * handed to `onLate` (to give back a connection nobody waits for any more); a late failure is dropped.
 */
export const withDeadline = <T>(
  work: Promise<T>,
  ms: number,
  waitingFor: DeadlineExceeded['waitingFor'],
  onLate: (value: T) => void = () => {},
): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    let expired = false;
    const timer = setTimeout(() => {
      expired = true;
      reject(new DeadlineExceeded(waitingFor, ms));
    }, ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        if (expired) onLate(value);
        else resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (!expired) reject(error);
      },
    );
  });
