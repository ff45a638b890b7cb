export * from './cope/index.js';
export * from './ltd/index.js';
export * from './ingresse/index.js';
