import type {
  COPE_CHECK_IN_CREATED,
  COPE_EVENT_PUBLISHED,
  COPE_TICKET_DELIVERY_REQUESTED,
} from './cope.constants.js';
import type { CopeCheckInCreatedDataDto } from './cope-check-in-created.dto.js';
import type { CopeEnvelopeAttributesDto } from './cope-envelope.dto.js';
import type { CopeEventPublishedDataDto } from './cope-event-published.dto.js';
import type { CopeTicketDeliveryRequestedDataDto } from './cope-ticket-delivery-requested.dto.js';

/** A valid COPE event as received (derived from the DTOs, which state the contract). */
export type CopeEventOf<T extends string, D> = Omit<CopeEnvelopeAttributesDto, 'type'> & {
  type: T;
  data: D;
};

export type CopeTicketDeliveryRequested = CopeEventOf<
  typeof COPE_TICKET_DELIVERY_REQUESTED,
  CopeTicketDeliveryRequestedDataDto
>;
export type CopeEventPublished = CopeEventOf<
  typeof COPE_EVENT_PUBLISHED,
  CopeEventPublishedDataDto
>;
export type CopeCheckInCreated = CopeEventOf<
  typeof COPE_CHECK_IN_CREATED,
  CopeCheckInCreatedDataDto
>;

/** Discriminated on `type` (and, equally, on `data.event_type`). */
export type CopeEvent = CopeTicketDeliveryRequested | CopeEventPublished | CopeCheckInCreated;
