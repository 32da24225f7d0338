import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { ApiConfig } from '../config.js';
import { faults, type Fault } from '../faults.js';
import type { PyJson } from '../json/py-json.js';
import type { ApiVersion } from '../microversion/version.js';
import type { Visibility } from '../model/visibility.js';
import type { QueryPairs } from '../query/parse.js';
import type { HypervisorStorage, StorageFault } from '../storage.js';
import type { UptimeProvider } from '../uptime.js';
import type { LinkContext } from '../views/links.js';

/** What one operation sees: the request already negotiated, validated and authorised. */
export interface OperationContext {
  readonly version: ApiVersion;
  /** Query pairs after schema stripping. */
  readonly query: QueryPairs;
  readonly param: string | undefined;
  readonly visibility: Visibility;
  readonly now: Date;
  readonly config: ApiConfig;
  readonly storage: HypervisorStorage;
  readonly uptime: UptimeProvider;
  readonly links: LinkContext;
}

export type OperationResult = Either<Fault, PyJson>;

/** A storage failure is a 5xx fault, never a partial answer. */
export const storageFault = (f: StorageFault): Fault =>
  f.kind === 'unavailable' ? faults.storageUnavailable() : faults.unexpected(f.kind === 'timeout' ? 'oslo_db.exception.DBConnectionError' : 'oslo_db.exception.DBError');

/** Runs a storage task, mapping its failure to a fault. */
export const fromStorage = async <A>(task: TaskEither<StorageFault, A>): Promise<Either<Fault, A>> => {
  const result = await task();
  return result._tag === 'Left' ? left(storageFault(result.left)) : right(result.right);
};
