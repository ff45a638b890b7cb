import {
  canonicalJsonSha256,
  normaliseSenderTime,
  streamIds,
  ticketTypeDecider,
  type TicketTypeReported,
} from '#ledger';
import type { IngresseWebhook } from '../providers/index.js';
import { asJsonValue, streamDecision, type StreamDecision } from './stream-decision.js';

/** An Ingresse ticket-type object, read tolerantly: only the contract's fields are sure. */
interface TicketTypeObject {
  readonly id: number;
  readonly eventId?: unknown;
  readonly name?: unknown;
  readonly type?: unknown;
  readonly parent?: unknown;
  readonly quantity?: unknown;
  readonly value?: unknown;
  readonly available?: unknown;
  readonly hidden?: unknown;
  readonly archived?: unknown;
  readonly salable?: unknown;
  readonly eventDates?: unknown;
}

const numberOrNull = (value: unknown) => (typeof value === 'number' ? value : null);
const booleanOrNull = (value: unknown) => (typeof value === 'boolean' ? value : null);

function reported(
  object: TicketTypeObject,
  fallbackEventId: number,
  reportedAt: string,
  source: 'own' | 'embedded',
  /** The group holding an embedded child; an own webhook has none to fall back on. */
  group: number | null = null,
): TicketTypeReported {
  const value =
    typeof object.value === 'object' && object.value !== null
      ? (object.value as Record<string, unknown>)
      : {};
  return {
    id: object.id,
    eventId: typeof object.eventId === 'number' ? object.eventId : fallbackEventId,
    name: typeof object.name === 'string' ? object.name : null,
    type: typeof object.type === 'string' ? object.type : 'Ticket',
    // A child listed among its group's `children` belongs to that group even when its copy
    // omits `parent`: with null, the newest copy would drop it out of the group's sum.
    parentId: numberOrNull(object.parent) ?? group,
    quantity: typeof object.quantity === 'number' ? object.quantity : 0,
    price: numberOrNull(value['price']),
    finalPrice: numberOrNull(value['finalPrice']),
    available: booleanOrNull(object.available),
    hidden: booleanOrNull(object.hidden),
    archived: booleanOrNull(object.archived),
    salable: booleanOrNull(object.salable),
    eventDates: asJsonValue(object.eventDates ?? []),
    reportedAt,
    source,
    senderTime: normaliseSenderTime(reportedAt),
    hash: canonicalJsonSha256(object),
  };
}

/**
 * A valid Ingresse `ticket` webhook → its ticket type's stream. A group's webhook also
 * reports each of its `children`, as embedded copies.
 */
export function translateIngresseWebhook(webhook: IngresseWebhook): StreamDecision {
  const data = webhook.data;
  const own = reported(data, data.eventId, webhook.timestamp, 'own');
  const embedded = (data.children ?? [])
    .filter(
      (child): child is TicketTypeObject =>
        typeof child === 'object' && typeof child.id === 'number',
    )
    .map((child) => reported(child, data.eventId, webhook.timestamp, 'embedded', data.id));
  return streamDecision(streamIds.ingresseTicketType(data.id), 'tickettype', ticketTypeDecider, {
    kind: 'ReportTicketType',
    ticketType: own,
    embedded,
  });
}
