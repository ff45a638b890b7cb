import type { Database, Statement } from 'better-sqlite3';
import { normaliseSenderTime, type TicketCheckedIn, type TicketDeliveryRequested } from '#ledger';
import type { DeliveryTables } from './delivery.schema.js';
import type { CopeDeliveryRequest } from './delivery.answers.js';

/**
 * The COPE half of the delivery projection: every delivery request is a fact of its
 * own, kept as one row per (ticket, ticketDeliveryId); nothing is derived at write time.
 */
export class CopeDeliveryWriter {
  private readonly upsertRequest: Statement<[string, string, string, string, string]>;
  private readonly mentionTicket: Statement<[string]>;

  constructor(db: Database, tables: DeliveryTables) {
    // Two copies of one ticketDeliveryId with different content: the later `requestedAt`
    // wins, then the greater event id and content, so the survivor never depends on order.
    this.upsertRequest = db.prepare(
      `INSERT INTO ${tables.copeRequests}
         (ticket_id, ticket_delivery_id, requested_order, event_id, doc) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET requested_order = excluded.requested_order,
         event_id = excluded.event_id, doc = excluded.doc
       WHERE (excluded.requested_order, excluded.event_id, excluded.doc)
           > (requested_order, event_id, doc)`,
    );
    this.mentionTicket = db.prepare(
      `INSERT INTO ${tables.copeTickets} (ticket_id) VALUES (?) ON CONFLICT DO NOTHING`,
    );
  }

  requested(data: TicketDeliveryRequested): void {
    const request: CopeDeliveryRequest = {
      ticketDeliveryId: data.ticketDeliveryId,
      deliveryKind: data.deliveryKind,
      recipient: data.recipient,
      requestedAt: data.requestedAt,
      attendee: data.attendee,
    };
    this.upsertRequest.run(
      data.ticketId,
      data.ticketDeliveryId,
      normaliseSenderTime(data.requestedAt),
      data.eventId,
      JSON.stringify(request),
    );
  }

  /** A check-in makes its ticket id known (a read answers 200), with no request yet. */
  checkedIn(data: TicketCheckedIn): void {
    this.mentionTicket.run(data.ticketId);
  }
}
