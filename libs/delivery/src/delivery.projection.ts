import type {
  AffiliateOptInRecorded,
  BookingSnapshotApplied,
  BookingTicketCancelled,
  BookingTicketIssued,
  BookingTicketReinstated,
  EticketsReleased,
  LedgerEventType,
  TicketCheckedIn,
  TicketDeliveryRequested,
} from '#ledger';
import type { Projection } from '#projections';
import { CopeDeliveryWriter } from './cope-delivery.writer.js';
import { createDeliveryTables, deliveryTables } from './delivery.schema.js';
import { LtdDeliveryWriter } from './ltd-delivery.writer.js';

const EVENT_TYPES: readonly LedgerEventType[] = [
  'TicketDeliveryRequested',
  'TicketCheckedIn',
  'BookingSnapshotApplied',
  'BookingTicketIssued',
  'BookingTicketCancelled',
  'BookingTicketReinstated',
  'EticketsReleased',
  'AffiliateOptInRecorded',
];

/**
 * The delivery read model (reconciliation.md, "Delivery"): COPE delivery requests per
 * ticket, LTD delivery status per booking, and the delivery discrepancies.
 */
export const deliveryProjection: Projection = {
  name: 'delivery',
  // v2: a known transaction with no delivery type is available (rule 2); a ticket takes
  // the area of its newest issue, absent included, and the performance of its newest
  // cancellation or reinstatement; discrepancies are listed oldest first by `since_key`.
  version: 2,
  eventTypes: EVENT_TYPES,
  createTables: createDeliveryTables,
  open(db, table) {
    const tables = deliveryTables(table);
    const cope = new CopeDeliveryWriter(db, tables);
    const ltd = new LtdDeliveryWriter(db, tables);
    return {
      apply(events) {
        ltd.reset();
        for (const event of events) {
          const data: unknown = event.data;
          switch (event.type) {
            case 'TicketDeliveryRequested':
              cope.requested(data as TicketDeliveryRequested);
              break;
            case 'TicketCheckedIn':
              cope.checkedIn(data as TicketCheckedIn);
              break;
            case 'BookingSnapshotApplied':
              ltd.snapshotApplied(data as BookingSnapshotApplied);
              break;
            case 'BookingTicketIssued':
              ltd.ticketIssued(data as BookingTicketIssued);
              break;
            case 'BookingTicketCancelled':
              ltd.ticketCancelled(data as BookingTicketCancelled);
              break;
            case 'BookingTicketReinstated':
              ltd.ticketReinstated(data as BookingTicketReinstated);
              break;
            case 'EticketsReleased':
              ltd.eticketsReleased(data as EticketsReleased);
              break;
            case 'AffiliateOptInRecorded': {
              const { bookingReference } = data as AffiliateOptInRecorded;
              if (bookingReference !== null) ltd.mentioned(bookingReference);
              break;
            }
          }
        }
        ltd.flush();
      },
    };
  },
};
