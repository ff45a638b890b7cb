export * from './decider.scenario.js';
export * from './provider-fixtures.js';
