export * from './data-key.js';
export * from './deduplication-keys.js';
export * from './intake-result.js';
export * from './redelivery-log.js';
export * from './webhook-intake.js';
export * from './webhook-receipt.js';
export * from './parked-log.js';
export * from './webhook-intake.factory.js';
