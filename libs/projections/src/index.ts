export * from './projection.js';
export * from './discrepancy.js';
export * from './event-batches.js';
export * from './projection-runner.js';
