// Public API of @os-hypervisors/core. Nothing else is exported.
export * from './model/dataset.js';
export * from './model/records.js';
export * from './model/visibility.js';
export * from './storage.js';
export * from './credentials.js';
export * from './uptime.js';
export * from './clock.js';
export * from './config.js';
export * from './http.js';
export * from './microversion/version.js';
export * from './policy/decision.js';
export * from './tokens.js';
export * from './handler.js';
export * from './observation.js';
export * from './faults.js';
export * from './model/service-state.js';
export * from './model/identifiers.js';
export * from './microversion/negotiate.js';
export * from './microversion/headers.js';
export * from './json/py-json.js';
export * from './json/py-dumps.js';
export * from './json/py-loads.js';
export * from './json/py-float.js';
export * from './views/hypervisor-codecs.js';
export { buildHypervisor, type HypervisorViewInput } from './views/hypervisor.js';
export { instanceName } from './views/instance-name.js';
export { parseQuery, pyUrlencode, type QueryPairs } from './query/parse.js';
export { OPERATIONS, ROUTE_TEMPLATES, matchOperation, type Operation, type OperationSpec, type VersionedMethod } from './routes/table.js';
export { RESPONSE_BODIES, type ResponseBody } from './views/response-bodies.js';
export { AggregateV21, AggregateV241 } from './views/aggregate-codecs.js';
export { jsonSchemaOf, type JsonSchema } from './openapi/json-schema.js';
export { buildOpenApiDocument, microversionChanges, operationsAt, type OpenApiDocument } from './openapi/document.js';
export { renderApiReference } from './openapi/reference.js';
export { type BodyStream, coreRequestFromUrl, groupedHeaders, isUnderMountPath, type RawHttpRequest, readRequestBody, wireHeaders } from './node-request.js';
export { createPolicy, type Policy, type PolicyOptions, type PolicyDecision, type GrantingBranch, type CompiledRule } from './policy/policy.js';
export { type PolicyLoadError, type PolicyLoadErrorCode, type PolicyWarning } from './policy/errors.js';
export { type PolicyFileText } from './policy/policy-file.js';
export { PROFILES, API_RULE_NAMES, SYSTEM_READER, PROJECT_ADMIN, SYSTEM_READER_OR_PROJECT_ADMIN, type PolicyProfile, type RuleDefault } from './policy/profiles.js';
export { type RuleSource } from './policy/rule-set.js';
export { type GrantKind } from './policy/compile/branches.js';
export { KEYSTONE_IMPLIED_ROLES, expandImpliedRoles, type ImpliedRoles } from './policy/roles.js';
export { parseCheckString, parseRuleValue, type CheckSyntaxError } from './policy/oslo/parse.js';
export { formatCheck, type Check } from './policy/oslo/ast.js';
export {
  auditPolicy, checkPolicy, resolveRuleName, renderAuditJson, renderAuditTable, renderAuditCsv, renderCheckAnswer,
  AUDIT_CREDENTIALS, AUDIT_CREDENTIAL_KINDS, AUDIT_PROJECT,
  type AuditMatrix, type AuditRow, type AuditCell, type AuditCredentialKind, type CheckQuestion, type CheckAnswer,
} from './policy/audit.js';
export { noauth2Resolver, NOAUTH2_ADMIN_USER } from './auth/noauth2.js';
export { keystoneHeadersResolver, IDENTITY_STATUS_HEADER } from './auth/keystone-headers.js';
export { credentialResolvers, type CredentialResolverOptions } from './auth/resolvers.js';
export { SHARED_TOKEN_CACHE, type SharedTokenCache } from './auth/token-cache.js';
