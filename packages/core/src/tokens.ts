import type { InjectionToken } from 'tsyringe';
import type { ApiConfig } from './config.js';
import type { CredentialSource } from './credentials.js';
import type { Authorizer } from './policy/decision.js';

// The storage, uptime and clock tokens live beside their ports; these are the handler's other inputs.
export const AUTHORIZER: InjectionToken<Authorizer> = Symbol.for('os-hypervisors:Authorizer');
export const API_CONFIG: InjectionToken<Partial<ApiConfig>> = Symbol.for('os-hypervisors:ApiConfig');
/** Tried in order; the first that returns credentials wins. */
export const CREDENTIAL_RESOLVERS: InjectionToken<ReadonlyArray<CredentialSource>> = Symbol.for('os-hypervisors:CredentialResolvers');
