export * from './discrepancy.js';
export * from './event-batches.js';
export * from './keyed-rows.js';
export * from './projection.js';
export * from './projection-builds.js';
export * from './projection-runner.js';
