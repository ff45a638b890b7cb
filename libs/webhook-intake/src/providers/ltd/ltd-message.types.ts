import type { LtdAffiliateOptInPayloadDto } from './ltd-affiliate-opt-in.dto.js';
import type {
  LTD_AFFILIATE_OPT_IN,
  LTD_EVENT_CHANGED,
  LTD_PERFORMANCE_CHANGED,
  LTD_SCHEDULED_ETICKET_DELIVERY,
  LTD_TRANSACTION_CHANGED,
} from './ltd.constants.js';
import type { LtdEnvelopeAttributesDto } from './ltd-envelope.dto.js';
import type { LtdEventChangedPayloadDto } from './ltd-event-changed.dto.js';
import type { LtdPerformanceChangedPayloadDto } from './ltd-performance-changed.dto.js';
import type { LtdScheduledEticketDeliveryPayloadDto } from './ltd-scheduled-eticket-delivery.dto.js';
import type { LtdTransactionChangedPayloadDto } from './ltd-transaction-changed.dto.js';

/** A valid LTD message as received (derived from the DTOs, which state the contract). */
export type LtdMessageOf<T extends string, P> = Omit<LtdEnvelopeAttributesDto, 'MessageType'> & {
  MessageType: T;
  Payload: P;
};

export type LtdTransactionChanged = LtdMessageOf<
  typeof LTD_TRANSACTION_CHANGED,
  LtdTransactionChangedPayloadDto
>;
export type LtdScheduledEticketDelivery = LtdMessageOf<
  typeof LTD_SCHEDULED_ETICKET_DELIVERY,
  LtdScheduledEticketDeliveryPayloadDto
>;
export type LtdPerformanceChanged = LtdMessageOf<
  typeof LTD_PERFORMANCE_CHANGED,
  LtdPerformanceChangedPayloadDto
>;
export type LtdEventChanged = LtdMessageOf<typeof LTD_EVENT_CHANGED, LtdEventChangedPayloadDto>;
export type LtdAffiliateOptIn = LtdMessageOf<
  typeof LTD_AFFILIATE_OPT_IN,
  LtdAffiliateOptInPayloadDto
>;

/** Discriminated on `MessageType`. */
export type LtdMessage =
  | LtdTransactionChanged
  | LtdScheduledEticketDelivery
  | LtdPerformanceChanged
  | LtdEventChanged
  | LtdAffiliateOptIn;
