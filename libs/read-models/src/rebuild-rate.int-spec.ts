// The rate at which the read models are built from a log of 100,000 domain events (a
// realistic mix of the three providers), written straight through the store port. The
// rate is printed, not asserted (build machines are shared and noisy); what is asserted
// is that every read model reached the head and counted what the log holds.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttendanceQueries } from '#attendance';
import { DeliveryQueries } from '#delivery';
import { SqliteEventStore, type EventToAppend, type JsonObject } from '#event-store';
import { InventoryQueries } from '#inventory';
import {
  canonicalJsonSha256,
  ledgerEvent,
  ledgerUpcasters,
  normaliseSenderTime,
  SCHEMA_VERSION,
  type LedgerEvent,
} from '#ledger';
import {
  checkedIn,
  copeEventPublished,
  deliveryRequested,
  eticketsReleased,
  ltdTicketCancelled,
  ltdTicketIssued,
} from '#testing';
import { PROJECTIONS } from './projections.catalogue.js';
import { ReadModels } from './read-models.js';

const TOTAL = 100_000;
const SHOWS = 25;
const TICKETS_PER_SHOW = 1500;
/** Of each show's tickets: checked in once; of those, scanned twice. */
const CHECKED_IN = 1350;
const SCANNED_TWICE = 150;
const UNKNOWN_PER_SHOW = 300;
const BOOKINGS = 2000;
const SEATS_PER_BOOKING = 5;
const PERFORMANCES = 50;
const APPEND_BATCH = 2000;

const at = (minute: number) =>
  `2026-05-05T${String(18 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00Z`;

/** The log: COPE shows, tickets and check-ins; LTD bookings and performances; Ingresse ticket types. */
function* domainEvents(): Generator<LedgerEvent> {
  for (let show = 0; show < SHOWS; show += 1) {
    const eventId = `show-${String(show)}`;
    yield copeEventPublished(eventId, { capacity: 2000 });
    for (let ticket = 0; ticket < TICKETS_PER_SHOW; ticket += 1) {
      yield deliveryRequested(`${eventId}-t${String(ticket)}`, eventId);
    }
    for (let ticket = 0; ticket < CHECKED_IN; ticket += 1) {
      const ticketId = `${eventId}-t${String(ticket)}`;
      yield checkedIn(`${ticketId}-c1`, ticketId, eventId, {
        checkedInAt: at(ticket % 120),
        gate: `Gate ${String(ticket % 4)}`,
      });
      if (ticket < SCANNED_TWICE) {
        yield checkedIn(`${ticketId}-c2`, ticketId, eventId, { checkedInAt: at(150) });
      }
    }
    for (let code = 0; code < UNKNOWN_PER_SHOW; code += 1) {
      yield checkedIn(`${eventId}-u${String(code)}-c1`, `${eventId}-u${String(code)}`, eventId);
    }
  }
  for (let performance = 0; performance < PERFORMANCES; performance += 1) {
    for (const [index, reportedAt] of ['2024-05-13T08:00:00Z', '2024-05-14T08:00:00Z'].entries()) {
      const data = {
        performanceId: 1000 + performance,
        eventId: 500,
        totalSeats: 1000,
        availableSeats: 900 - index * 100,
        disabled: false,
        hasOffer: null,
        performanceDateTime: '2024-06-01T19:30:00',
        reportedAt,
        senderTime: normaliseSenderTime(reportedAt),
      };
      yield ledgerEvent('PerformanceAvailabilityReported', {
        ...data,
        hash: canonicalJsonSha256(data),
      });
    }
  }
  for (let booking = 0; booking < BOOKINGS; booking += 1) {
    const bookingReference = `BK${String(booking).padStart(6, '0')}`;
    const performanceId = 1000 + (booking % PERFORMANCES);
    const seats = Array.from({ length: SEATS_PER_BOOKING }, (_, seat) => ({
      bookingReference,
      barcode: `${bookingReference}-${String(seat)}`,
      seat: `A${String(seat + 1)}`,
    }));
    for (const seat of seats) yield ltdTicketIssued(seat, { performanceId });
    if (booking % 4 === 0 && seats[0]) yield ltdTicketCancelled(seats[0], { performanceId });
    const reportedAt = '2024-03-05T08:26:11.1451352Z';
    yield ledgerEvent('BookingSnapshotApplied', {
      bookingReference,
      deliveryType: booking % 2 === 0 ? 'ScheduledEtickets' : 'PrintAtHomeTickets',
      purchasedAt: '2024-03-01T10:00:00',
      ticketKeys: seats.map((seat) => `${seat.barcode}|${seat.seat}`),
      reportedAt,
      senderTime: normaliseSenderTime(reportedAt),
      hash: canonicalJsonSha256({ bookingReference, reportedAt }),
    });
    if (booking % 2 === 0) {
      yield eticketsReleased(
        bookingReference,
        seats.map(({ barcode, seat }) => ({ barcode, seat })),
      );
    }
  }
  // Ingresse ticket types, each reported again and again, fill the log up.
  for (let report = 0; ; report += 1) {
    const id = 1 + (report % 500);
    const reportedAt = `2024-01-01T00:00:${String(Math.floor(report / 500) % 60).padStart(2, '0')}.${String(report).padStart(6, '0')}`;
    yield ledgerEvent('TicketTypeReported', {
      id,
      eventId: 1 + (id % 50),
      name: `Type ${String(id)}`,
      type: 'Ticket',
      parentId: null,
      quantity: 100 + (report % 7),
      price: 10,
      finalPrice: 11,
      available: true,
      hidden: false,
      archived: false,
      salable: true,
      eventDates: [],
      reportedAt,
      source: 'own',
      senderTime: normaliseSenderTime(reportedAt),
      hash: canonicalJsonSha256({ id, report }),
    });
  }
}

function toAppend(event: LedgerEvent): EventToAppend {
  const version = ledgerUpcasters.currentVersion(event.type);
  return {
    id: randomUUID(),
    type: event.type,
    data: event.data as unknown as JsonObject,
    metadata: version > 1 ? { [SCHEMA_VERSION]: version } : {},
  };
}

describe('read models rebuilt from 100,000 events', () => {
  let directory: string;
  let store: SqliteEventStore;
  let readModels: ReadModels | undefined;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'ticket-ledger-rebuild-rate-'));
    store = SqliteEventStore.open({ file: join(directory, 'events.sqlite') });
  });

  afterEach(async () => {
    await readModels?.close();
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('given 100,000 domain events in the store, when the read models start from position 0, then each reaches the head and counts what the log holds (the rate is printed)', async () => {
    const appendStarted = performance.now();
    let batch: EventToAppend[] = [];
    let appended = 0;
    for (const event of domainEvents()) {
      batch.push(toAppend(event));
      appended += 1;
      if (batch.length === APPEND_BATCH || appended === TOTAL) {
        await store.appendToStream(`rebuild-rate.${String(appended)}`, batch, {
          expectedRevision: 'no_stream',
        });
        batch = [];
      }
      if (appended === TOTAL) break;
    }
    const appendMs = performance.now() - appendStarted;
    const head = await store.headPosition();

    const started = performance.now();
    readModels = ReadModels.open({ dataDir: directory, store, projections: PROJECTIONS });
    await readModels.runner.start();
    const names = readModels.runner.names();
    const reached = await readModels.runner.waitForPosition(names, head, 60_000);
    const elapsedMs = performance.now() - started;

    console.log(
      [
        `rebuild of ${TOTAL.toLocaleString('en')} events by ${String(names.length)} read models (${names.join(', ')}):`,
        `${(elapsedMs / 1000).toFixed(2)} s, ${Math.round(TOTAL / (elapsedMs / 1000)).toLocaleString('en')} events/s`,
        `(${Math.round((TOTAL * names.length) / (elapsedMs / 1000)).toLocaleString('en')} event applications/s;`,
        `appending took ${(appendMs / 1000).toFixed(2)} s)`,
      ].join(' '),
    );
    expect(reached).toBe(true);
    expect(head).toBe(TOTAL);
    const states = await readModels.runner.states();
    expect(states.map((state) => [state.name, state.checkpoint, state.status])).toEqual(
      names.map((name) => [name, head, 'live']),
    );

    const models = readModels;
    const attendance = models
      .queries('attendance', (db, table) => new AttendanceQueries(db, table))
      .event('show-7');
    expect(attendance).toMatchObject({
      capacity: 2000,
      checkIns: CHECKED_IN + SCANNED_TWICE + UNKNOWN_PER_SHOW,
      checkedInTickets: CHECKED_IN + UNKNOWN_PER_SHOW,
      duplicateScans: SCANNED_TWICE,
      expectedTickets: TICKETS_PER_SHOW,
      noShows: TICKETS_PER_SHOW - CHECKED_IN,
      unknownTickets: UNKNOWN_PER_SHOW,
      overCapacity: false,
    });
    const inventory = models.queries('inventory', (db, table) => new InventoryQueries(db, table));
    expect(inventory.cope('show-7')).toMatchObject({
      issued: TICKETS_PER_SHOW,
      checkedIn: CHECKED_IN + UNKNOWN_PER_SHOW,
    });
    const onFirstPerformance = Array.from({ length: BOOKINGS }, (_, booking) => booking).filter(
      (booking) => booking % PERFORMANCES === 0,
    );
    const withCancellation = onFirstPerformance.filter((booking) => booking % 4 === 0).length;
    expect(inventory.ltd(1000)).toMatchObject({
      availableSeats: 800,
      affiliateIssued: onFirstPerformance.length * SEATS_PER_BOOKING - withCancellation,
      affiliateCancelled: withCancellation,
    });
    const delivery = models.queries('delivery', (db, table) => new DeliveryQueries(db, table));
    expect(delivery.ltd('BK000000')).toMatchObject({ status: 'available' });
    expect(delivery.ltd('BK000001')?.tickets).toHaveLength(SEATS_PER_BOOKING);
  }, 90_000);
});
