import {
  canonicalJsonSha256,
  normaliseSenderTime,
  showDecider,
  streamIds,
  ticketDecider,
} from '#ledger';
import type { CopeEvent } from '../providers/index.js';
import {
  asJson,
  asJsonValue,
  extraMembers,
  streamDecision,
  type StreamDecision,
} from './stream-decision.js';

const COMMON = ['event_type', 'schema_version', 'occurred_at'];
const DELIVERY_FIELDS = new Set([
  ...COMMON,
  'attendee',
  'delivery_kind',
  'event_id',
  'event_product_id',
  'order_id',
  'order_line_id',
  'recipient',
  'requested_at',
  'ticket_delivery_id',
  'ticket_id',
]);
const CHECK_IN_FIELDS = new Set([
  ...COMMON,
  'attendee',
  'check_in_id',
  'checked_in_at',
  'device_id',
  'event_id',
  'event_product_id',
  'gate',
  'scanner_session_id',
  'ticket_id',
]);
const PUBLISHED_FIELDS = new Set([
  ...COMMON,
  'capacity',
  'ends_at',
  'event_id',
  'event_product_ids',
  'starts_at',
  'status',
  'timezone',
  'title',
  'venue',
]);

/** A valid COPE CloudEvent → the stream it belongs to and its command. */
export function translateCopeEvent(event: CopeEvent): StreamDecision {
  switch (event.type) {
    case 'ticketing.ticket_delivery.requested': {
      const data = event.data;
      return streamDecision(
        streamIds.copeTicket(data.ticket_id),
        'ticket',
        ticketDecider,
        {
          kind: 'RequestTicketDelivery',
          request: {
            ticketId: data.ticket_id,
            ticketDeliveryId: data.ticket_delivery_id,
            eventId: data.event_id,
            eventProductId: data.event_product_id,
            deliveryKind: data.delivery_kind,
            recipient: data.recipient,
            requestedAt: data.requested_at,
            occurredAt: data.occurred_at,
            attendee: asJson(data.attendee),
            ...(typeof data.order_id === 'string' ? { orderId: data.order_id } : {}),
            ...(typeof data.order_line_id === 'string' ? { orderLineId: data.order_line_id } : {}),
            ...extraMembers(data, DELIVERY_FIELDS),
          },
        },
        event.id,
      );
    }
    case 'ticketing.check_in.created': {
      const data = event.data;
      return streamDecision(
        streamIds.copeTicket(data.ticket_id),
        'ticket',
        ticketDecider,
        {
          kind: 'RecordCheckIn',
          checkIn: {
            ticketId: data.ticket_id,
            checkInId: data.check_in_id,
            eventId: data.event_id,
            eventProductId: data.event_product_id,
            checkedInAt: data.checked_in_at,
            occurredAt: data.occurred_at,
            scannerSessionId: data.scanner_session_id,
            attendee: asJson(data.attendee),
            gate: typeof data.gate === 'string' ? data.gate : null,
            deviceId: typeof data.device_id === 'string' ? data.device_id : null,
            contentHash: canonicalJsonSha256(data),
            ...extraMembers(data, CHECK_IN_FIELDS),
          },
        },
        event.id,
      );
    }
    case 'ticketing.event.published': {
      const data = event.data;
      return streamDecision(
        streamIds.copeShow(data.event_id),
        'show',
        showDecider,
        {
          kind: 'PublishCopeEvent',
          published: {
            eventId: data.event_id,
            title: data.title,
            capacity: data.capacity,
            startsAt: data.starts_at,
            endsAt: data.ends_at,
            timezone: data.timezone,
            eventProductIds: data.event_product_ids.map(asJsonValue),
            ...(data.venue ? { venue: asJson(data.venue) } : {}),
            occurredAt: data.occurred_at,
            senderTime: normaliseSenderTime(data.occurred_at),
            hash: canonicalJsonSha256(data),
            ...extraMembers(data, PUBLISHED_FIELDS),
          },
        },
        event.id,
      );
    }
  }
}
