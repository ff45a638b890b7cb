export * from './projection.js';
export * from './discrepancy.js';
