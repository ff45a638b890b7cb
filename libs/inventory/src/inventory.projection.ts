import type {
  BookingSnapshotApplied,
  BookingTicketCancelled,
  BookingTicketIssued,
  BookingTicketReinstated,
  CopeEventPublished,
  LedgerEventType,
  PerformanceAvailabilityReported,
  SnapshotSuperseded,
  TicketCheckedIn,
  TicketDeliveryRequested,
  TicketTypeReported,
} from '#ledger';
import type { Projection } from '#projections';
import { CopeInventoryWriter } from './cope-inventory.writer.js';
import { IngresseInventoryWriter } from './ingresse-inventory.writer.js';
import { createInventoryTables, inventoryTables } from './inventory.schema.js';
import { LtdInventoryWriter } from './ltd-inventory.writer.js';

const EVENT_TYPES: readonly LedgerEventType[] = [
  'CopeEventPublished',
  'TicketDeliveryRequested',
  'TicketCheckedIn',
  'PerformanceAvailabilityReported',
  'BookingSnapshotApplied',
  'SnapshotSuperseded',
  'BookingTicketIssued',
  'BookingTicketCancelled',
  'BookingTicketReinstated',
  'TicketTypeReported',
];

/**
 * The inventory read model (reconciliation.md, "Inventory"): COPE capacity against
 * issued tickets per event, LTD availability against this vendor's bookings per
 * performance, Ingresse ticket types and total quantity per event.
 */
export const inventoryProjection: Projection = {
  name: 'inventory',
  // v2: a check-in delivered with conflicting content counts once, as attendance does.
  // v3: every performance an LTD transaction names is known, superseded ones included, and
  // gives its EventId; discrepancies are listed oldest first by `since_key`.
  version: 3,
  eventTypes: EVENT_TYPES,
  createTables: createInventoryTables,
  open(db, table) {
    const tables = inventoryTables(table);
    const cope = new CopeInventoryWriter(db, tables);
    const ltd = new LtdInventoryWriter(db, tables);
    const ingresse = new IngresseInventoryWriter(db, tables);
    return {
      apply(events) {
        cope.reset();
        ltd.reset();
        ingresse.reset();
        for (const event of events) {
          const data: unknown = event.data;
          switch (event.type) {
            case 'CopeEventPublished':
              cope.published(data as CopeEventPublished);
              break;
            case 'TicketDeliveryRequested':
              cope.requested(data as TicketDeliveryRequested);
              break;
            case 'TicketCheckedIn':
              cope.checkedIn(data as TicketCheckedIn);
              break;
            case 'PerformanceAvailabilityReported':
              ltd.reported(data as PerformanceAvailabilityReported);
              break;
            case 'BookingSnapshotApplied':
              ltd.listed((data as BookingSnapshotApplied).performances);
              break;
            case 'SnapshotSuperseded':
              ltd.listed((data as SnapshotSuperseded).performances);
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
            case 'TicketTypeReported':
              ingresse.reported(data as TicketTypeReported);
              break;
          }
        }
        cope.flush();
        ltd.flush();
        ingresse.flush();
      },
    };
  },
};
