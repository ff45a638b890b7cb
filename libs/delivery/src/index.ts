export * from './delivery.answers.js';
export * from './delivery.projection.js';
export * from './delivery.queries.js';
export {
  DELIVERY_DISCREPANCY_TYPES,
  isScheduledDeliveryType,
  type LtdDeliveryStatus,
} from './ltd-delivery.rules.js';
