// Public API of @os-hypervisors/keystone.
export { createKeystoneAuth, type KeystoneAuth, type KeystoneAuthOptions } from './keystone-auth.js';
export { type ServiceCredentials, type NameOrId, ServiceAuthRefused, v3Root } from './service-auth.js';
export { KeystoneUnreachable, type HttpOptions } from './http.js';
export { KeystoneServiceError } from './token-validator.js';
export { type TokenCacheStats } from './token-cache.js';
export { credentialsFor, tokenIdentity, TokenBody, TokenIdentity } from './token-body.js';
export { serviceCredentialsFromEnv, serviceCredentialsFromCloud, type OpenStackAuthSettings, authSettingsFromCloud, findCloudsYaml } from './openstack-config.js';
