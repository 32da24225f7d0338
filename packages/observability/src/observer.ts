// The light entry point (no third-party code): the request observer, labels, secret redaction and
// dependency status, which a server needs whatever else it switches on.
export * from './request-observer.js';
export * from './labels.js';
export * from './redact.js';
export * from './log-sink.js';
export * from './dependency-status.js';
export { tracingRequested } from './tracing-env.js';
