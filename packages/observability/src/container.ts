import {
  AUTHORIZER, CREDENTIAL_RESOLVERS, datasetUptimeProvider, HYPERVISOR_STORAGE, UPTIME_PROVIDER,
} from '@os-hypervisors/core';
import type { DependencyContainer } from 'tsyringe';
import { type Instruments, instrumentAuthorizer, instrumentCredentialResolvers, instrumentStorage, instrumentUptime } from './instrument.js';

/**
 * Decorates whatever the container holds under the core's port tokens — the storage (memory, SQL,
 * Nova's databases), the Authorizer, the credential resolvers (noauth2, trusted headers, a Keystone
 * token validator) and the uptime provider — with counting, timing and child spans. Call it after every
 * package has registered its ports and before `registerHandler`: no package needs to know about it.
 */
export const instrumentContainer = (container: DependencyContainer, instruments: Instruments, credentialNames: ReadonlyArray<string> = []): void => {
  if (container.isRegistered(HYPERVISOR_STORAGE, true)) {
    container.registerInstance(HYPERVISOR_STORAGE, instrumentStorage(container.resolve(HYPERVISOR_STORAGE), instruments));
  }
  if (container.isRegistered(AUTHORIZER, true)) {
    container.registerInstance(AUTHORIZER, instrumentAuthorizer(container.resolve(AUTHORIZER), instruments));
  }
  if (container.isRegistered(CREDENTIAL_RESOLVERS, true)) {
    container.registerInstance(CREDENTIAL_RESOLVERS, instrumentCredentialResolvers(container.resolve(CREDENTIAL_RESOLVERS), instruments, credentialNames));
  }
  const uptime = container.isRegistered(UPTIME_PROVIDER, true) ? container.resolve(UPTIME_PROVIDER) : datasetUptimeProvider;
  container.registerInstance(UPTIME_PROVIDER, instrumentUptime(uptime, instruments));
};
