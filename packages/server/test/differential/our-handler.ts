import 'reflect-metadata';
import { createHandler, createPolicy, credentialResolvers, type Handler } from '@os-hypervisors/core';
import { isLeft } from 'fp-ts/lib/Either.js';
import { MemoryStorage } from '@os-hypervisors/storage-memory';
import { DATASET, NOW } from './dataset.js';

/** Our side of the differential tests: real policy (profile nova: Zed's defaults) and real credential resolvers (noauth2 tokens, as Nova's pipeline), over DATASET at NOW. */
export const buildHandler = (): Handler => {
  const policy = createPolicy({ profile: 'nova' });
  if (isLeft(policy)) throw new Error(`policy: ${JSON.stringify(policy.left)}`);
  return createHandler({
    storage: new MemoryStorage(DATASET),
    authorizer: policy.right,
    clock: () => NOW,
    config: { profile: 'nova' },
    credentialResolvers: credentialResolvers({ trustKeystoneHeaders: false }),
  });
};
