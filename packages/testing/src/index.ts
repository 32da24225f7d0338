// Public API of @os-hypervisors/testing (private; tests only). Each harness adds its export line here.
export { PYTHON } from './python.js';
export * from './nova-db/index.js';
export { freePort, spawnSupervised, waitForHttp, pythonScript, logTail, type SupervisedProcess } from './process.js';
export {
  startKeystone,
  type KeystoneHandle,
  type KeystoneIdentity,
  type KeystoneOptions,
  type TokenScope,
  type IssueTokenOptions,
  type IssuedToken,
} from './keystone/launcher.js';
export { PROJECT_IDS, USERS, APP_CREDENTIAL, REGION, type IdentityName, type ProjectName } from './keystone/fixtures.js';
export { startFaultProxy, type FaultProxy, type FaultMode } from './keystone/fault-proxy.js';
export {
  startAuthTokenReference,
  type AuthTokenReference,
  type AuthTokenReferenceOptions,
} from './keystone/auth-token-reference.js';
export { authScenarios, askAuth, runAuthScenarios, type AuthScenario, type AuthAnswer } from './keystone/auth-scenarios.js';
export { keystoneAuthtokenOptions } from './keystone/auth-token-reference.js';
export { startNovaApi, type NovaApi, type NovaApiOptions } from './nova/launcher.js';
export {
  runTempest,
  TEMPEST_HYPERVISOR_TESTS,
  type TempestOptions,
  type TempestResult,
  type TempestTest,
} from './tempest/runner.js';
