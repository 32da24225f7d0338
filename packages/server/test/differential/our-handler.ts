import 'reflect-metadata';
import { createHandler, createPolicy, credentialResolvers, type Handler, type HypervisorStorage, type UptimeProvider } from '@os-hypervisors/core';
import { isLeft } from 'fp-ts/lib/Either.js';
import { MemoryStorage } from '@os-hypervisors/storage-memory';
import { DATASET, NOW } from './dataset.js';

/**
 * Our side of the differential tests: real policy (profile nova: Zed's defaults) and real credential
 * resolvers (noauth2 tokens, as Nova's pipeline), over DATASET at NOW (or another storage of it).
 */
export const buildHandler = (storage: HypervisorStorage = new MemoryStorage(DATASET), uptime?: UptimeProvider): Handler => {
  const policy = createPolicy({ profile: 'nova' });
  if (isLeft(policy)) throw new Error(`policy: ${JSON.stringify(policy.left)}`);
  return createHandler({
    storage,
    ...(uptime === undefined ? {} : { uptime }),
    authorizer: policy.right,
    clock: () => NOW,
    config: { profile: 'nova' },
    credentialResolvers: credentialResolvers({ trustKeystoneHeaders: false }),
  });
};
