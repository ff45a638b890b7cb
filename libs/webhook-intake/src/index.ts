export * from './authentication/index.js';
export * from './intake/index.js';
export * from './providers/index.js';
export * from './validation/index.js';
