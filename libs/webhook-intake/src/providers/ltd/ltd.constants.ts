export const LTD_TRANSACTION_CHANGED = 'TransactionChanged';
export const LTD_SCHEDULED_ETICKET_DELIVERY = 'ScheduledEticketDelivery';
export const LTD_PERFORMANCE_CHANGED = 'PerformanceChanged';
export const LTD_EVENT_CHANGED = 'EventChanged';
export const LTD_AFFILIATE_OPT_IN = 'AffiliateOptIn';

/** The documented LTD webhook types (seed 004). */
export const LTD_MESSAGE_TYPES = [
  LTD_TRANSACTION_CHANGED,
  LTD_SCHEDULED_ETICKET_DELIVERY,
  LTD_PERFORMANCE_CHANGED,
  LTD_EVENT_CHANGED,
  LTD_AFFILIATE_OPT_IN,
] as const;

export type LtdMessageType = (typeof LTD_MESSAGE_TYPES)[number];

export function isLtdMessageType(value: unknown): value is LtdMessageType {
  return LTD_MESSAGE_TYPES.some((type) => type === value);
}

/** LTD's envelope members: no other provider's envelope has any of them (case counts). */
export const LTD_IDENTIFYING_KEYS = ['MessageType', 'Payload', 'Timestamp'] as const;
