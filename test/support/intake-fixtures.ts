// Fresh webhook bodies derived from the seeds' examples: every builder gives new ids, so
// that each test's deliveries are new to a store shared by the tests of one file.
import { randomUUID } from 'node:crypto';
import type { JsonObject, JsonValue } from '#event-store';
import {
  COPE_CHECK_IN_CREATED_EXAMPLE,
  COPE_EVENT_PUBLISHED_EXAMPLE,
  COPE_TICKET_DELIVERY_REQUESTED_EXAMPLE,
  INGRESSE_TICKET_TYPE_EXAMPLE,
  LTD_AFFILIATE_OPT_IN_EXAMPLE,
  LTD_EVENT_CHANGED_EXAMPLE,
  LTD_PERFORMANCE_CHANGED_EXAMPLE,
  LTD_SCHEDULED_ETICKET_DELIVERY_EXAMPLE,
  LTD_TRANSACTION_CHANGED_EXAMPLE,
} from '#testing';

/** A mutable deep copy of a (deep-frozen) fixture, as plain JSON. */
export function jsonCopy(value: unknown): JsonObject {
  return JSON.parse(JSON.stringify(value)) as JsonObject;
}

/** A name nobody used before: `<prefix>-<uuid>`. */
export function unique(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

let counter = 0;

/** A positive integer not used before in this process (LTD and Ingresse ids are integers). */
export function uniqueInteger(): number {
  counter += 1;
  return 900_000_000 + (process.pid % 1000) * 10_000 + counter;
}

/** The object without the named members. */
export function without(value: JsonObject, ...keys: string[]): JsonObject {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
}

export interface CopeDeliveryOptions {
  readonly id?: string;
  readonly ticketId?: string;
  /** `null`: no idempotency_key at all. */
  readonly idempotencyKey?: string | null;
  readonly data?: JsonObject;
}

function copeEvent(example: unknown, options: CopeDeliveryOptions, data: JsonObject): JsonObject {
  const id = options.id ?? unique('evt');
  const envelope = without(jsonCopy(example), 'idempotency_key');
  return {
    ...envelope,
    id,
    ...(options.idempotencyKey === null
      ? {}
      : { idempotency_key: options.idempotencyKey ?? `idem-${id}` }),
    data: { ...data, ...options.data },
  };
}

/** A new COPE `ticketing.ticket_delivery.requested` (stream `ticket-cope.<ticket_id>`). */
export function copeTicketDelivery(options: CopeDeliveryOptions = {}): JsonObject {
  const example = COPE_TICKET_DELIVERY_REQUESTED_EXAMPLE;
  return copeEvent(example, options, {
    ...jsonCopy(example.data),
    ticket_id: options.ticketId ?? unique('ticket'),
  });
}

/** A new COPE `ticketing.check_in.created` (stream `ticket-cope.<ticket_id>`). */
export function copeCheckIn(options: CopeDeliveryOptions = {}): JsonObject {
  const example = COPE_CHECK_IN_CREATED_EXAMPLE;
  return copeEvent(example, options, {
    ...jsonCopy(example.data),
    ticket_id: options.ticketId ?? unique('ticket'),
    check_in_id: unique('check-in'),
  });
}

/** A new COPE `ticketing.event.published` (stream `show-cope.<event_id>`). */
export function copeEventPublished(eventId = unique('show')): JsonObject {
  const example = COPE_EVENT_PUBLISHED_EXAMPLE;
  return copeEvent(example, {}, { ...jsonCopy(example.data), event_id: eventId });
}

/** A COPE event of a type the seeds do not document (a sound envelope). */
export function copeOfUnknownType(): JsonObject {
  const id = unique('evt');
  return {
    specversion: '1.0',
    id,
    source: 'cope.ticketing',
    type: 'ticketing.order.refunded',
    subject: 'order:o-1',
    time: '2026-05-05T12:00:00.000Z',
    datacontenttype: 'application/json',
    data: { event_type: 'ticketing.order.refunded', order_id: 'o-1', schema_version: '1.0' },
  };
}

/** A new LTD `TransactionChanged` for its own booking (stream `booking-ltd.<BookingReference>`). */
export function ltdTransaction(bookingReference = unique('BK')): JsonObject {
  const message = jsonCopy(LTD_TRANSACTION_CHANGED_EXAMPLE);
  return {
    ...message,
    Payload: { ...(message['Payload'] as JsonObject), BookingReference: bookingReference },
  };
}

export function ltdScheduledDelivery(bookingReference = unique('BK')): JsonObject {
  const message = jsonCopy(LTD_SCHEDULED_ETICKET_DELIVERY_EXAMPLE);
  return {
    ...message,
    Payload: { ...(message['Payload'] as JsonObject), BookingReference: bookingReference },
  };
}

export function ltdPerformanceChanged(performanceId = uniqueInteger()): JsonObject {
  const message = jsonCopy(LTD_PERFORMANCE_CHANGED_EXAMPLE);
  return {
    ...message,
    Payload: { ...(message['Payload'] as JsonObject), PerformanceId: performanceId },
  };
}

export function ltdEventChanged(eventId = uniqueInteger()): JsonObject {
  const message = jsonCopy(LTD_EVENT_CHANGED_EXAMPLE);
  return { ...message, Payload: { ...(message['Payload'] as JsonObject), EventId: eventId } };
}

/**
 * A new LTD `AffiliateOptIn` for `email`: with the example's booking under a new reference,
 * or without a booking (`bookingReference: null`).
 */
export function ltdOptIn(
  email: string,
  bookingReference: string | null = unique('BK'),
): JsonObject {
  const message = jsonCopy(LTD_AFFILIATE_OPT_IN_EXAMPLE);
  const payload = message['Payload'] as JsonObject;
  const customer = { ...(payload['Customer'] as JsonObject), Email: email };
  const rest = without(payload, 'Booking');
  return {
    ...message,
    Payload:
      bookingReference === null
        ? { ...rest, Customer: customer }
        : {
            ...rest,
            Customer: customer,
            Booking: { ...(payload['Booking'] as JsonObject), BookingReference: bookingReference },
          },
  };
}

/** A new Ingresse `ticket` webhook (stream `tickettype-ingresse.<data.id>`). */
export function ingresseTicketType(id = uniqueInteger()): JsonObject {
  const message = jsonCopy(INGRESSE_TICKET_TYPE_EXAMPLE);
  return { ...message, data: { ...(message['data'] as JsonObject), id } };
}

function reversedKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([key, member]) => [key, reversedKeys(member)]),
    );
  }
  return value;
}

/**
 * The same JSON, serialised otherwise: every object's members in reverse order, tabs,
 * CRLF line ends and a trailing newline. Other bytes, same canonical JSON.
 */
export function reserialised(value: JsonObject): string {
  return `${JSON.stringify(reversedKeys(value), null, '\t').replaceAll('\n', '\r\n ')}\r\n`;
}

/** The string at a path of members (`stringAt(event, 'data', 'ticket_id')`); throws otherwise. */
export function stringAt(object: JsonObject, ...path: string[]): string {
  let value: JsonValue | undefined = object;
  for (const key of path) {
    value =
      typeof value === 'object' && value !== null && !Array.isArray(value) ? value[key] : undefined;
  }
  if (typeof value !== 'string') throw new Error(`no string at /${path.join('/')}`);
  return value;
}
