import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type {
  CopeCheckInCreated,
  CopeEvent,
  CopeEventPublished,
  CopeTicketDeliveryRequested,
  IngresseTicketWebhook,
  IngresseWebhook,
  LtdMessage,
  LtdPerformanceChanged,
  LtdScheduledEticketDelivery,
  LtdTransactionChanged,
} from '#webhook-intake';
// The seeds' examples are not part of the package's index (they are test material): the
// bench takes them by path, as libs/testing does, so its bodies follow the seeds.
import {
  COPE_CHECK_IN_CREATED_EXAMPLE,
  COPE_EVENT_PUBLISHED_EXAMPLE,
  COPE_TICKET_DELIVERY_REQUESTED_EXAMPLE,
} from '../../../libs/webhook-intake/src/providers/cope/cope.fixtures.js';
import {
  INGRESSE_TICKET_GROUP_EXAMPLE,
  INGRESSE_TICKET_TYPE_EXAMPLE,
} from '../../../libs/webhook-intake/src/providers/ingresse/ingresse.fixtures.js';
import {
  LTD_PERFORMANCE_CHANGED_EXAMPLE,
  LTD_SCHEDULED_ETICKET_DELIVERY_EXAMPLE,
  LTD_TRANSACTION_CHANGED_EXAMPLE,
} from '../../../libs/webhook-intake/src/providers/ltd/ltd.fixtures.js';

/**
 * The deliveries the benchmarks send (over HTTP) and store (through the store port): the
 * providers' seed examples with fresh ids and timestamps, so each one is a new delivery.
 */

export type DeliveryKind =
  | 'cope.ticket_delivery.requested'
  | 'cope.check_in.created'
  | 'cope.event.published'
  | 'ltd.TransactionChanged'
  | 'ltd.ScheduledEticketDelivery'
  | 'ltd.PerformanceChanged'
  | 'ingresse.ticket'
  | 'ingresse.ticket-group';

interface DeliveryOf<P extends string, M> {
  readonly provider: P;
  readonly kind: DeliveryKind;
  /** What the intake's check reports as the message type. */
  readonly messageType: string;
  readonly message: M;
  /** `JSON.stringify(message)`: the bytes sent and stored. */
  readonly body: Buffer;
}

export type WebhookDelivery =
  | DeliveryOf<'cope', CopeEvent>
  | DeliveryOf<'ltd', LtdMessage>
  | DeliveryOf<'ingresse', IngresseWebhook>;

/** Share of each kind in the mixed corpus (percent). */
export const DELIVERY_MIX: Readonly<Record<DeliveryKind, number>> = {
  'cope.ticket_delivery.requested': 24,
  'cope.check_in.created': 24,
  'cope.event.published': 4,
  'ltd.TransactionChanged': 14,
  'ltd.ScheduledEticketDelivery': 8,
  'ltd.PerformanceChanged': 10,
  'ingresse.ticket': 12,
  'ingresse.ticket-group': 4,
};

const KINDS = Object.keys(DELIVERY_MIX) as DeliveryKind[];
const GATES = ['North', 'South', 'East', 'West'] as const;
const ROWS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N'] as const;
/** Pools the mixed corpus draws from: shows, performances, Ingresse events. */
const COPE_EVENTS = 200;
const LTD_PERFORMANCES = 300;
const INGRESSE_EVENTS = 100;
const INGRESSE_GROUP_SIZE = 6;
/** How far back check-ins and e-ticket releases look for the ticket or booking they concern. */
const RECENT = 2000;

/**
 * The seeds' objects are JSON typed by DTO classes; spreading them copies their members,
 * which is all they have (no prototype to lose).
 */
function plain<T extends object>(value: T): { [K in keyof T]: T[K] } {
  return value;
}

/** mulberry32: a small seeded generator, so a corpus is the same from run to run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RecentTicket {
  readonly ticketId: string;
  readonly eventId: string;
}

interface RecentBooking {
  readonly reference: string;
  readonly seats: readonly {
    readonly barcode: string;
    readonly row: string;
    readonly number: number;
  }[];
}

/**
 * An endless supply of new deliveries. `runId` keeps the ids of one corpus apart from
 * every other's, so two corpora can be sent to one store and never collide.
 */
export class WebhookCorpus {
  private readonly random: () => number;
  private sequence = 0;
  private clockMs: number;
  private readonly recentTickets: RecentTicket[] = [];
  private readonly recentBookings: RecentBooking[] = [];
  private readonly copeEvents: string[] = [];
  private ingresseGroup:
    { readonly id: number; readonly eventId: number; size: number } | undefined;

  constructor(
    readonly runId: string,
    seed = 1,
    startMs = Date.now() - 86_400_000,
  ) {
    this.random = seededRandom(seed);
    this.clockMs = startMs;
    for (let index = 0; index < COPE_EVENTS; index += 1) {
      this.copeEvents.push(`ev-${runId}-${String(index)}`);
    }
  }

  /** The next delivery of the mix. */
  next(): WebhookDelivery {
    switch (this.pickKind()) {
      case 'cope.ticket_delivery.requested':
        return this.deliveryRequested(this.pick(this.copeEvents), this.newId('t'));
      case 'cope.check_in.created': {
        const ticket = this.pickRecent(this.recentTickets);
        // Nothing requested yet: a check-in would only be an unknown ticket; request one.
        if (!ticket) return this.deliveryRequested(this.pick(this.copeEvents), this.newId('t'));
        return this.checkIn(ticket.eventId, ticket.ticketId, this.newId('ci'));
      }
      case 'cope.event.published': {
        const eventId = this.newId('ev');
        this.copeEvents[Math.floor(this.random() * this.copeEvents.length)] = eventId;
        return this.eventPublished(eventId, 500 + Math.floor(this.random() * 5000));
      }
      case 'ltd.TransactionChanged':
        return this.transaction();
      case 'ltd.ScheduledEticketDelivery': {
        const booking = this.pickRecent(this.recentBookings);
        return booking ? this.etickets(booking) : this.transaction();
      }
      case 'ltd.PerformanceChanged':
        return this.performanceChanged();
      case 'ingresse.ticket':
        return this.ingresseTicket();
      case 'ingresse.ticket-group':
        return this.ingresseTicketGroup();
    }
  }

  eventPublished(eventId: string, capacity: number): WebhookDelivery {
    const time = this.tick();
    const message: CopeEventPublished = {
      ...COPE_EVENT_PUBLISHED_EXAMPLE,
      id: this.newId('ce'),
      idempotency_key: `published:${eventId}:${time}`,
      subject: `event:${eventId}`,
      time,
      data: {
        ...plain(COPE_EVENT_PUBLISHED_EXAMPLE.data),
        event_id: eventId,
        title: `Bench show ${eventId}`,
        capacity,
        event_product_ids: [`${eventId}-ga`],
        occurred_at: time,
        starts_at: time,
        ends_at: time,
      },
    };
    return cope('cope.event.published', message);
  }

  /** `recent`: later check-ins of the mix may scan this ticket (not for tickets counted elsewhere). */
  deliveryRequested(eventId: string, ticketId: string, recent = true): WebhookDelivery {
    const time = this.tick();
    const deliveryId = this.newId('td');
    const message: CopeTicketDeliveryRequested = {
      ...COPE_TICKET_DELIVERY_REQUESTED_EXAMPLE,
      id: this.newId('ce'),
      idempotency_key: `delivery:${deliveryId}`,
      subject: `ticket_delivery:${deliveryId}`,
      time,
      data: {
        ...plain(COPE_TICKET_DELIVERY_REQUESTED_EXAMPLE.data),
        attendee: { email: `${ticketId}@example.com`, name: `Attendee ${ticketId}` },
        delivery_kind: 'email',
        event_id: eventId,
        event_product_id: `${eventId}-ga`,
        occurred_at: time,
        recipient: `${ticketId}@example.com`,
        requested_at: time,
        ticket_delivery_id: deliveryId,
        ticket_id: ticketId,
      },
    };
    if (recent) this.remember(this.recentTickets, { ticketId, eventId });
    return cope('cope.ticket_delivery.requested', message);
  }

  checkIn(eventId: string, ticketId: string, checkInId: string): WebhookDelivery {
    const time = this.tick();
    const message: CopeCheckInCreated = {
      ...COPE_CHECK_IN_CREATED_EXAMPLE,
      id: this.newId('ce'),
      idempotency_key: `check_in:${checkInId}`,
      subject: `check_in:${checkInId}`,
      time,
      data: {
        ...plain(COPE_CHECK_IN_CREATED_EXAMPLE.data),
        attendee: { email: `${ticketId}@example.com`, name: `Attendee ${ticketId}` },
        check_in_id: checkInId,
        checked_in_at: time,
        event_id: eventId,
        event_product_id: `${eventId}-ga`,
        gate: this.pick(GATES),
        occurred_at: time,
        scanner_session_id: `scanner-${String(Math.floor(this.random() * 40))}`,
        ticket_id: ticketId,
      },
    };
    return cope('cope.check_in.created', message);
  }

  private transaction(): WebhookDelivery {
    const reference = this.newId('B');
    const template = LTD_TRANSACTION_CHANGED_EXAMPLE.Payload;
    const [order] = template.Orders;
    const [ticket] = order?.Tickets ?? [];
    if (!order || !ticket) throw new Error('the LTD TransactionChanged seed has no ticket');
    const performance = Math.floor(this.random() * LTD_PERFORMANCES);
    const count = 1 + Math.floor(this.random() * 3);
    const seats = Array.from({ length: count }, (_, index) => ({
      barcode: `${reference}-${String(index)}`,
      row: this.pick(ROWS),
      number: 1 + Math.floor(this.random() * 40),
    }));
    const message: LtdTransactionChanged = {
      ...LTD_TRANSACTION_CHANGED_EXAMPLE,
      Payload: {
        ...plain(template),
        BookingReference: reference,
        Customer: {
          ...template.Customer,
          FullName: `Customer ${reference}`,
          Email: `${reference.toLowerCase()}@example.com`,
        },
        PurchaseDateTime: this.tick().slice(0, 23),
        Orders: [
          {
            ...plain(order),
            EventId: 3000 + (performance % 60),
            PerformanceId: 700_000 + performance,
            OrderStatus: 'Purchased',
            Tickets: seats.map((seat) => ({
              ...plain(ticket),
              SeatInfo: `${seat.row}${String(seat.number)}`,
              Barcode: seat.barcode,
              Status: this.random() < 0.05 ? 'Cancelled' : 'Purchased',
            })),
          },
        ],
      },
      Timestamp: this.tick(),
    };
    this.remember(this.recentBookings, { reference, seats });
    return ltd('ltd.TransactionChanged', message);
  }

  private etickets(booking: RecentBooking): WebhookDelivery {
    const template = LTD_SCHEDULED_ETICKET_DELIVERY_EXAMPLE.Payload;
    const [ticket] = template.Tickets;
    if (!ticket) throw new Error('the LTD ScheduledEticketDelivery seed has no ticket');
    const message: LtdScheduledEticketDelivery = {
      ...LTD_SCHEDULED_ETICKET_DELIVERY_EXAMPLE,
      Payload: {
        ...plain(template),
        BookingReference: booking.reference,
        CustomerEmail: `${booking.reference.toLowerCase()}@example.com`,
        Tickets: booking.seats.map((seat) => ({
          ...plain(ticket),
          TicketName1: seat.row,
          TicketName2: seat.number,
          Barcode: seat.barcode,
        })),
      },
      Timestamp: this.tick(),
    };
    return ltd('ltd.ScheduledEticketDelivery', message);
  }

  private performanceChanged(): WebhookDelivery {
    const performance = Math.floor(this.random() * LTD_PERFORMANCES);
    const template = LTD_PERFORMANCE_CHANGED_EXAMPLE.Payload;
    const message: LtdPerformanceChanged = {
      ...LTD_PERFORMANCE_CHANGED_EXAMPLE,
      Payload: {
        ...plain(template),
        EventId: 3000 + (performance % 60),
        PerformanceId: 700_000 + performance,
        TotalSeatsCount: 1000,
        TotalAvailableTicketsCount: Math.floor(this.random() * 1000),
      },
      Timestamp: this.tick(),
    };
    return ltd('ltd.PerformanceChanged', message);
  }

  private ingresseTicket(): WebhookDelivery {
    const id = this.newNumericId();
    // A few ticket types per group, as an event's sectors: the seed's one parent for all
    // would make a group of every ticket type ever sent.
    if (this.ingresseGroup === undefined || this.ingresseGroup.size >= INGRESSE_GROUP_SIZE) {
      this.ingresseGroup = {
        id: this.newNumericId(),
        eventId: 20_000 + Math.floor(this.random() * INGRESSE_EVENTS),
        size: 0,
      };
    }
    this.ingresseGroup.size += 1;
    const message: IngresseTicketWebhook = {
      ...INGRESSE_TICKET_TYPE_EXAMPLE,
      data: {
        ...plain(INGRESSE_TICKET_TYPE_EXAMPLE.data),
        id,
        name: `Ingresso ${String(id)}`,
        eventId: this.ingresseGroup.eventId,
        parent: this.ingresseGroup.id,
        quantity: 50 + Math.floor(this.random() * 500),
      },
      timestamp: this.tick().slice(0, 23),
    };
    return ingresse('ingresse.ticket', message);
  }

  private ingresseTicketGroup(): WebhookDelivery {
    const id = this.newNumericId();
    const eventId = 20_000 + Math.floor(this.random() * INGRESSE_EVENTS);
    const template = INGRESSE_TICKET_GROUP_EXAMPLE.data;
    const message: IngresseTicketWebhook = {
      ...INGRESSE_TICKET_GROUP_EXAMPLE,
      data: {
        ...plain(template),
        id,
        eventId,
        children: (template.children ?? []).map((child) => ({
          ...plain(child),
          id: this.newNumericId(),
          eventId,
          parent: id,
        })),
      },
      timestamp: this.tick().slice(0, 23),
    };
    return ingresse('ingresse.ticket-group', message);
  }

  private pickKind(): DeliveryKind {
    let roll = this.random() * 100;
    for (const kind of KINDS) {
      roll -= DELIVERY_MIX[kind];
      if (roll < 0) return kind;
    }
    return 'cope.ticket_delivery.requested';
  }

  private pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.random() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** A bounded pool of recent items: a new one replaces a random old one once full. */
  private remember<T>(ring: T[], item: T): void {
    if (ring.length >= RECENT) ring[Math.floor(this.random() * RECENT)] = item;
    else ring.push(item);
  }

  private pickRecent<T>(items: readonly T[]): T | undefined {
    return items[Math.floor(this.random() * items.length)];
  }

  private newId(prefix: string): string {
    this.sequence += 1;
    return `${prefix}-${this.runId}-${String(this.sequence)}`;
  }

  /** Ingresse ids are numbers: the run id's hash keeps runs apart. */
  private newNumericId(): number {
    this.sequence += 1;
    return numericRunBase(this.runId) + this.sequence;
  }

  /** Sender clocks move forward a few milliseconds per delivery. */
  private tick(): string {
    this.clockMs += 1 + Math.floor(this.random() * 5);
    return new Date(this.clockMs).toISOString();
  }
}

/** A run's own range of 2^31 Ingresse ids (safe integers all the same). */
function numericRunBase(runId: string): number {
  let hash = 0;
  for (const char of runId) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0;
  return (hash % 1_000_000) * 2 ** 31;
}

function cope(kind: DeliveryKind, message: CopeEvent): WebhookDelivery {
  return {
    provider: 'cope',
    kind,
    messageType: message.type,
    message,
    body: Buffer.from(JSON.stringify(message)),
  };
}

function ltd(kind: DeliveryKind, message: LtdMessage): WebhookDelivery {
  return {
    provider: 'ltd',
    kind,
    messageType: message.MessageType,
    message,
    body: Buffer.from(JSON.stringify(message)),
  };
}

function ingresse(kind: DeliveryKind, message: IngresseWebhook): WebhookDelivery {
  return {
    provider: 'ingresse',
    kind,
    messageType: message.webhook,
    message,
    body: Buffer.from(JSON.stringify(message)),
  };
}

export function newRunId(): string {
  return randomBytes(4).toString('hex');
}

// HTTP ---------------------------------------------------------------------------

/** The secrets the server under test is started with, and the load generator signs with. */
export interface WebhookCredentials {
  /** `whsec_<base64>`: COPE's standard-webhooks secret. */
  readonly copeSecret: string;
  /** Bearer tokens of LTD and Ingresse. */
  readonly ltdToken: string;
  readonly ingresseToken: string;
}

export function newCredentials(): WebhookCredentials {
  return {
    copeSecret: `whsec_${randomBytes(24).toString('base64')}`,
    ltdToken: randomBytes(18).toString('base64url'),
    ingresseToken: randomBytes(18).toString('base64url'),
  };
}

/** The environment that makes the server check those credentials. */
export function credentialEnvironment(credentials: WebhookCredentials): Record<string, string> {
  return {
    COPE_WEBHOOK_SECRET: credentials.copeSecret,
    LTD_WEBHOOK_SECRET: credentials.ltdToken,
    INGRESSE_WEBHOOK_SECRET: credentials.ingresseToken,
  };
}

export interface IngestRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** An exact copy of an earlier request of the corpus (a redelivery). */
  readonly redelivery: boolean;
}

/**
 * A delivery as its provider sends it. COPE's standard-webhooks signature is computed
 * here, once per delivery, so that signing costs the load generator nothing during a run.
 */
export function signedRequest(
  delivery: WebhookDelivery,
  credentials: WebhookCredentials,
  nowSeconds: number,
): IngestRequest {
  const common = { 'user-agent': 'ticket-ledger-bench' };
  if (delivery.provider === 'cope') {
    const id = `msg_${delivery.message.id}`;
    const timestamp = String(nowSeconds);
    const key = Buffer.from(credentials.copeSecret.slice('whsec_'.length), 'base64');
    const signature = createHmac('sha256', key)
      .update(`${id}.${timestamp}.`)
      .update(delivery.body)
      .digest('base64');
    return {
      path: '/webhooks/cope',
      headers: {
        ...common,
        'content-type': 'application/cloudevents+json',
        'webhook-id': id,
        'webhook-timestamp': timestamp,
        'webhook-signature': `v1,${signature}`,
      },
      body: delivery.body,
      redelivery: false,
    };
  }
  const token = delivery.provider === 'ltd' ? credentials.ltdToken : credentials.ingresseToken;
  return {
    path: `/webhooks/${delivery.provider}`,
    headers: { ...common, 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: delivery.body,
    redelivery: false,
  };
}

/**
 * `count` requests: new deliveries of the mix and, `redeliveryShare` of the time, an exact
 * copy (body and headers) of one of the last few thousand requests — a provider's retry.
 */
export function ingestCorpus(
  corpus: WebhookCorpus,
  credentials: WebhookCredentials,
  count: number,
  redeliveryShare = 0.1,
): IngestRequest[] {
  const random = seededRandom(7);
  const nowSeconds = Math.floor(Date.now() / 1000);
  const requests: IngestRequest[] = [];
  for (let index = 0; index < count; index += 1) {
    if (index >= 100 && random() < redeliveryShare) {
      const back = 1 + Math.floor(random() * Math.min(index - 1, RECENT));
      const original = requests[index - back];
      if (original) {
        requests.push({ ...original, redelivery: true });
        continue;
      }
    }
    requests.push(signedRequest(corpus.next(), credentials, nowSeconds));
  }
  return requests;
}
