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
