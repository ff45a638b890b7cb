export * from './canonical-json.js';
export * from './deciders/index.js';
export * from './deterministic-id.js';
export * from './ledger-events.js';
export * from './provider.js';
export * from './sender-clock.js';
export * from './stream-ids.js';
