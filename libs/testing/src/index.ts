export * from './arrival-orders.js';
export * from './decider.scenario.js';
export * from './provider-fixtures.js';
export * from './projection.scenario.js';
export * from './ledger-command.builders.js';
export * from './ledger-event.builders.js';
export * from './shuffled-log.js';
