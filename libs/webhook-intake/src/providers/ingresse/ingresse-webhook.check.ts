import { validateContract } from '../../validation/contract.validator.js';
import type { DtoClass } from '../../validation/nested-object.decorator.js';
import {
  isEnvelope,
  notEnvelope,
  stringMember,
  type PayloadCheck,
} from '../../validation/payload-check.js';
import {
  INGRESSE_IDENTIFYING_KEYS,
  INGRESSE_TICKET,
  isIngresseWebhookName,
  type IngresseWebhookName,
} from './ingresse.constants.js';
import { IngresseEnvelopeDto } from './ingresse-envelope.dto.js';
import { IngresseTicketWebhookDto } from './ingresse-ticket.dto.js';
import type { IngresseWebhook } from './ingresse-webhook.types.js';

const WEBHOOK_DTOS: Readonly<Record<IngresseWebhookName, DtoClass>> = {
  [INGRESSE_TICKET]: IngresseTicketWebhookDto,
};

/**
 * Classifies a parsed Ingresse webhook body. The DTO is chosen from `webhook` up front, so
 * the body is transformed and validated once; an unknown webhook is checked as a bare
 * envelope and parked only when that is sound.
 */
export function checkIngresseWebhook(body: unknown): PayloadCheck<IngresseWebhook> {
  if (!isEnvelope(body, INGRESSE_IDENTIFYING_KEYS)) {
    return notEnvelope(body, 'Ingresse webhook', INGRESSE_IDENTIFYING_KEYS);
  }
  const name = stringMember(body, 'webhook');
  const known = isIngresseWebhookName(name) ? name : undefined;
  const errors = validateContract(
    known === undefined ? IngresseEnvelopeDto : WEBHOOK_DTOS[known],
    body,
  );
  if (errors.length > 0) return { outcome: 'contract_violation', messageType: name, errors };
  // A sound envelope has a non-empty string webhook.
  if (known === undefined) return { outcome: 'unsupported_type', messageType: name ?? '' };
  return { outcome: 'valid', messageType: known, message: body as unknown as IngresseWebhook };
}
