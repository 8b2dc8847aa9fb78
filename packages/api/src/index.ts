// @vireo/api: the HTTP contract. The server validates and serialises with these schemas and publishes them as
// OpenAPI; the web app and e2e tests import the same types.
export * from './roles.js';
export * from './problem.js';
export * from './users.js';
export * from './session.js';
export * from './tokens.js';
export * from './audit.js';
export * from './health.js';
export * from './hosts.js';
export * from './domains.js';
export * from './tasks.js';
export * from './events.js';
export * from './metrics.js';
export * from './storage.js';
export * from './networks.js';
export * from './osinfo.js';
export * from './consoles.js';
