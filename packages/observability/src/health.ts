// Readiness probes and the operator's listener (/healthz, /readyz, /metrics): node:http only.
export * from './readiness.js';
export * from './ops-server.js';
