import type { RecordedEvent } from '#event-store';
import type { LedgerEvent } from '#ledger';
import {
  checkedIn,
  copeEventPublished,
  deliveryRequested,
  givenEvents,
  recordedEvent,
  type ProjectionScenario,
} from '#testing';
import { TicketQueries, ticketsProjection } from '#tickets';
import type { Projection } from '#projections';
import { attendanceProjection } from './attendance.projection.js';
import { AttendanceQueries } from './attendance.queries.js';

/**
 * Throughput of apply() on one big event: printed, not asserted (machines differ). The
 * answers are asserted, so the measured path is the real one.
 */

const TICKETS = 100_000;
const BATCH = 1000;

function minuteTime(index: number): string {
  const seconds = 19 * 3600 + index;
  const hh = String(Math.floor(seconds / 3600)).padStart(2, '0');
  const mm = String(Math.floor((seconds % 3600) / 60)).padStart(2, '0');
  const ss = String(seconds % 60).padStart(2, '0');
  return `2026-05-05T${hh}:${mm}:${ss}Z`;
}

function recorded(events: readonly LedgerEvent[], firstPosition: number): RecordedEvent[] {
  return events.map((event, index) => recordedEvent(event, firstPosition + index));
}

function applyInBatches(scenario: ProjectionScenario, events: readonly RecordedEvent[]): number {
  const started = performance.now();
  for (let index = 0; index < events.length; index += BATCH) {
    scenario.when(...events.slice(index, index + BATCH));
  }
  return performance.now() - started;
}

function rate(count: number, ms: number): string {
  return `${String(count)} events in ${ms.toFixed(0)} ms = ${Math.round((count / ms) * 1000).toLocaleString('en')} events/s`;
}

function timeQuery(run: () => unknown, times = 1000): string {
  const started = performance.now();
  for (let index = 0; index < times; index += 1) run();
  return `${((performance.now() - started) / times).toFixed(3)} ms/query`;
}

describe('attendance and tickets throughput', () => {
  const publication = recorded([copeEventPublished('E1', { capacity: 90_000 })], 1);
  const requests = recorded(
    Array.from({ length: TICKETS }, (_, index) => deliveryRequested(`T${String(index)}`, 'E1')),
    2,
  );
  // Arrival order is the reverse of the scanners' clocks: the harder case for the
  // over-capacity tipping point, which then moves with every batch.
  const checkIns = recorded(
    Array.from({ length: TICKETS }, (_, index) => {
      const reverse = TICKETS - 1 - index;
      return checkedIn(`C${String(reverse)}`, `T${String(reverse)}`, 'E1', {
        checkedInAt: minuteTime(reverse),
        gate: reverse % 2 === 0 ? 'North' : 'South',
      });
    }),
    2 + TICKETS,
  );

  function measure(projection: Projection) {
    const scenario = givenEvents(projection, ...publication);
    const requestMs = applyInBatches(scenario, requests);
    const checkInMs = applyInBatches(scenario, checkIns);
    return { scenario, requestMs, checkInMs };
  }

  it('attendance: applies 100,000 check-ins for one event in batches of 1000', () => {
    const { scenario, requestMs, checkInMs } = measure(attendanceProjection);
    const queries = new AttendanceQueries(scenario.db, scenario.table);
    expect(queries.event('E1')).toMatchObject({
      checkIns: TICKETS,
      checkedInTickets: TICKETS,
      expectedTickets: TICKETS,
      noShows: 0,
      overCapacity: true,
      byGate: { North: TICKETS / 2, South: TICKETS / 2 },
    });
    console.log(
      [
        'attendance apply():',
        `  delivery requests: ${rate(TICKETS, requestMs)}`,
        `  check-ins:         ${rate(TICKETS, checkInMs)}`,
        `  GET attendance:    ${timeQuery(() => queries.event('E1'))}`,
        `  discrepancy page:  ${timeQuery(() => queries.discrepancies({ limit: 100 }))}`,
      ].join('\n'),
    );
    scenario.close();
  }, 120_000);

  it('tickets: applies 100,000 check-ins for one event in batches of 1000', () => {
    const { scenario, requestMs, checkInMs } = measure(ticketsProjection);
    const queries = new TicketQueries(scenario.db, scenario.table);
    expect(queries.ticket('T5')?.checkIns).toHaveLength(1);
    console.log(
      [
        'tickets apply():',
        `  delivery requests: ${rate(TICKETS, requestMs)}`,
        `  check-ins:         ${rate(TICKETS, checkInMs)}`,
        `  GET ticket:        ${timeQuery(() => queries.ticket('T5'))}`,
      ].join('\n'),
    );
    scenario.close();
  }, 120_000);
});
