export * from './decider.scenario.js';
