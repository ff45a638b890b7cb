import type { INGRESSE_TICKET } from './ingresse.constants.js';
import type { IngresseEnvelopeAttributesDto } from './ingresse-envelope.dto.js';
import type { IngresseTicketDataDto } from './ingresse-ticket.dto.js';

/** A valid Ingresse webhook as received (derived from the DTOs, which state the contract). */
export type IngresseWebhookOf<W extends string, D> = Omit<
  IngresseEnvelopeAttributesDto,
  'webhook'
> & {
  webhook: W;
  data: D;
};

export type IngresseTicketWebhook = IngresseWebhookOf<
  typeof INGRESSE_TICKET,
  IngresseTicketDataDto
>;

/** Discriminated on `webhook` (one member today). */
export type IngresseWebhook = IngresseTicketWebhook;
