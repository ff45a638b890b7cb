export * from './inventory.answers.js';
export * from './inventory.projection.js';
export * from './inventory.queries.js';
export { INVENTORY_DISCREPANCY_TYPES } from './inventory.rules.js';
