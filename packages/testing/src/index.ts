// Public API of @os-hypervisors/testing (private; tests only). Each harness adds its export line here.
export { PYTHON } from './python.js';
export * from './nova-db/index.js';
export { describeRequest, type GeneratedRequest, type GrammarVocabulary, requestArbitrary, requestTarget } from './request-grammar.js';
export { TcpProxy } from './tcp-proxy.js';
