// The example CloudEvents of the COPE seeds (000–002), verbatim, deep-frozen.
import { deepFreeze } from '../../validation/payload-check.fixtures.js';
import type {
  CopeCheckInCreated,
  CopeEventPublished,
  CopeTicketDeliveryRequested,
} from './cope-event.types.js';

export const COPE_TICKET_DELIVERY_REQUESTED_EXAMPLE: CopeTicketDeliveryRequested = deepFreeze({
  data: {
    attendee: {
      email: 'buyer@example.com',
      name: 'example_name',
    },
    delivery_kind: 'example_delivery_kind',
    event_id: 'example_id',
    event_product_id: 'example_id',
    event_type: 'ticketing.ticket_delivery.requested',
    occurred_at: '2026-05-05T12:00:00.000Z',
    recipient: 'example_recipient',
    requested_at: '2026-05-05T12:00:00.000Z',
    schema_version: '1.0',
    ticket_delivery_id: 'example_id',
    ticket_id: 'example_id',
  },
  datacontenttype: 'application/json',
  dataschema: 'https://schemas.cope.com/events/ticketing.ticket_delivery.requested/v1',
  id: 'ticketing.ticket_delivery.requested:example',
  idempotency_key: 'ticketing.ticket_delivery.requested:example',
  source: 'cope.ticketing',
  specversion: '1.0',
  subject: 'ticket_delivery:example',
  time: '2026-05-05T12:00:00.000Z',
  type: 'ticketing.ticket_delivery.requested',
});

export const COPE_EVENT_PUBLISHED_EXAMPLE: CopeEventPublished = deepFreeze({
  data: {
    capacity: 1000,
    ends_at: '2026-05-05T12:00:00.000Z',
    event_id: 'example_id',
    event_product_ids: ['example_event_product_ids'],
    event_type: 'ticketing.event.published',
    occurred_at: '2026-05-05T12:00:00.000Z',
    schema_version: '1.0',
    starts_at: '2026-05-05T12:00:00.000Z',
    status: 'published',
    timezone: 'example_timezone',
    title: 'example_title',
  },
  datacontenttype: 'application/json',
  dataschema: 'https://schemas.cope.com/events/ticketing.event.published/v1',
  id: 'ticketing.event.published:example',
  idempotency_key: 'ticketing.event.published:example',
  source: 'cope.ticketing',
  specversion: '1.0',
  subject: 'event:example',
  time: '2026-05-05T12:00:00.000Z',
  type: 'ticketing.event.published',
});

export const COPE_CHECK_IN_CREATED_EXAMPLE: CopeCheckInCreated = deepFreeze({
  data: {
    attendee: {
      email: 'buyer@example.com',
      name: 'example_name',
    },
    check_in_id: 'example_id',
    checked_in_at: '2026-05-05T12:00:00.000Z',
    event_id: 'example_id',
    event_product_id: 'example_id',
    event_type: 'ticketing.check_in.created',
    occurred_at: '2026-05-05T12:00:00.000Z',
    scanner_session_id: 'example_id',
    schema_version: '1.0',
    ticket_id: 'example_id',
  },
  datacontenttype: 'application/json',
  dataschema: 'https://schemas.cope.com/events/ticketing.check_in.created/v1',
  id: 'ticketing.check_in.created:example',
  idempotency_key: 'ticketing.check_in.created:example',
  source: 'cope.ticketing',
  specversion: '1.0',
  subject: 'check_in:example',
  time: '2026-05-05T12:00:00.000Z',
  type: 'ticketing.check_in.created',
});

export const COPE_EXAMPLES = deepFreeze({
  'ticketing.ticket_delivery.requested': COPE_TICKET_DELIVERY_REQUESTED_EXAMPLE,
  'ticketing.event.published': COPE_EVENT_PUBLISHED_EXAMPLE,
  'ticketing.check_in.created': COPE_CHECK_IN_CREATED_EXAMPLE,
});
