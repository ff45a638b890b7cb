import { validateContract } from '../../validation/contract.validator.js';
import type { DtoClass } from '../../validation/nested-object.decorator.js';
import {
  isEnvelope,
  notEnvelope,
  stringMember,
  type PayloadCheck,
} from '../../validation/payload-check.js';
import { LtdAffiliateOptInMessageDto } from './ltd-affiliate-opt-in.dto.js';
import {
  LTD_AFFILIATE_OPT_IN,
  LTD_IDENTIFYING_KEYS,
  LTD_EVENT_CHANGED,
  LTD_PERFORMANCE_CHANGED,
  LTD_SCHEDULED_ETICKET_DELIVERY,
  LTD_TRANSACTION_CHANGED,
  isLtdMessageType,
  type LtdMessageType,
} from './ltd.constants.js';
import { LtdEnvelopeDto } from './ltd-envelope.dto.js';
import { LtdEventChangedMessageDto } from './ltd-event-changed.dto.js';
import type { LtdMessage } from './ltd-message.types.js';
import { LtdPerformanceChangedMessageDto } from './ltd-performance-changed.dto.js';
import { LtdScheduledEticketDeliveryMessageDto } from './ltd-scheduled-eticket-delivery.dto.js';
import { LtdTransactionChangedMessageDto } from './ltd-transaction-changed.dto.js';

const MESSAGE_DTOS: Readonly<Record<LtdMessageType, DtoClass>> = {
  [LTD_TRANSACTION_CHANGED]: LtdTransactionChangedMessageDto,
  [LTD_SCHEDULED_ETICKET_DELIVERY]: LtdScheduledEticketDeliveryMessageDto,
  [LTD_PERFORMANCE_CHANGED]: LtdPerformanceChangedMessageDto,
  [LTD_EVENT_CHANGED]: LtdEventChangedMessageDto,
  [LTD_AFFILIATE_OPT_IN]: LtdAffiliateOptInMessageDto,
};

/**
 * Classifies a parsed LTD webhook body. The DTO is chosen from `MessageType` up front,
 * so the body is transformed and validated once; an unknown type is checked as a bare
 * envelope and parked only when that is sound.
 */
export function checkLtdMessage(body: unknown): PayloadCheck<LtdMessage> {
  if (!isEnvelope(body, LTD_IDENTIFYING_KEYS)) {
    return notEnvelope(body, 'London Theatre Direct webhook', LTD_IDENTIFYING_KEYS);
  }
  const type = stringMember(body, 'MessageType');
  const known = isLtdMessageType(type) ? type : undefined;
  const errors = validateContract(known === undefined ? LtdEnvelopeDto : MESSAGE_DTOS[known], body);
  if (errors.length > 0) return { outcome: 'contract_violation', messageType: type, errors };
  // A sound envelope has a non-empty string MessageType.
  if (known === undefined) return { outcome: 'unsupported_type', messageType: type ?? '' };
  return { outcome: 'valid', messageType: known, message: body as unknown as LtdMessage };
}
