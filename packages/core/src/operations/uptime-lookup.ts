import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import { faults, type Fault } from '../faults.js';
import type { NodeWithService } from '../model/records.js';
import type { UptimeAnswer, UptimeProvider } from '../uptime.js';

const MESSAGING_TIMEOUT = 'oslo_messaging.exceptions.MessagingTimeout';

/**
 * Asks one host for its uptime within `timeoutMs`. A rejection or timeout is the unexpected error Nova
 * lets escape (500 computeFault naming oslo.messaging's timeout), bounded so a slow host cannot stall.
 */
export const askUptime = async (
  provider: UptimeProvider,
  target: NodeWithService,
  timeoutMs: number,
): Promise<Either<Fault, UptimeAnswer>> => {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const answer = await Promise.race([provider.uptime(target, controller.signal), timeout]);
    if (answer === 'timeout') {
      controller.abort();
      return left(faults.unexpected(MESSAGING_TIMEOUT));
    }
    return right(answer);
  } catch {
    return left(faults.unexpected(MESSAGING_TIMEOUT));
  } finally {
    clearTimeout(timer);
  }
};
