export * from './decider.scenario.js';
export * from './provider-fixtures.js';
export * from './projection.scenario.js';
