import { givenHistory } from '#testing';
import type {
  CopeEventPublished,
  LedgerEvent,
  LtdEventChanged,
  PerformanceAvailabilityReported,
  TicketTypeReported,
} from '../ledger-events.js';
import { normaliseSenderTime } from '../sender-clock.js';
import { foldEvents, type Decider, type SnapshotState } from './decider.js';
import { performanceDecider } from './performance.decider.js';
import { showDecider } from './show.decider.js';
import { ticketTypeDecider } from './ticket-type.decider.js';

const at = (time: string, hash = `hash-${time}`) => ({
  senderTime: normaliseSenderTime(time),
  hash,
});

function published(time: string, capacity: number): CopeEventPublished {
  return {
    eventId: 'E1',
    title: 'Show',
    capacity,
    startsAt: '2026-05-05T19:00:00Z',
    endsAt: '2026-05-05T22:00:00Z',
    timezone: 'Europe/London',
    eventProductIds: ['P1'],
    occurredAt: time,
    ...at(time),
  };
}

function performance(time: string, availableSeats: number): PerformanceAvailabilityReported {
  return {
    performanceId: 688971,
    eventId: 2589,
    totalSeats: 1000,
    availableSeats,
    disabled: false,
    hasOffer: false,
    performanceDateTime: '2025-12-31T13:00:00',
    reportedAt: time,
    ...at(time),
  };
}

function ticketType(id: number, time: string, source: 'own' | 'embedded'): TicketTypeReported {
  return {
    id,
    eventId: 24724,
    name: 'Pista',
    type: 'Ticket',
    parentId: 346868,
    quantity: 100,
    price: 10,
    finalPrice: 11,
    available: true,
    hidden: false,
    archived: false,
    salable: true,
    eventDates: [],
    reportedAt: time,
    source,
    ...at(time),
  };
}

describe('show decider', () => {
  it('given no publication, when COPE publishes the event, then it is recorded', () => {
    const event = published('2026-05-05T12:00:00.000Z', 1000);

    givenHistory(showDecider)
      .when({ kind: 'PublishCopeEvent', published: event })
      .expectEvents([{ type: 'CopeEventPublished', data: event }]);
  });

  it('given a newer publication, when an older one arrives, then it is superseded', () => {
    const newer = published('2026-05-05T13:00:00.000Z', 900);

    givenHistory(showDecider, { type: 'CopeEventPublished', data: newer })
      .when({ kind: 'PublishCopeEvent', published: published('2026-05-05T12:00:00.000Z', 1000) })
      .expectTypes(['SnapshotSuperseded']);
  });

  it('given an older publication, when a newer one arrives (a refresh), then it is recorded', () => {
    givenHistory(showDecider, {
      type: 'CopeEventPublished',
      data: published('2026-05-05T12:00:00Z', 1),
    })
      .when({ kind: 'PublishCopeEvent', published: published('2026-05-05T12:00:01Z', 2) })
      .expectTypes(['CopeEventPublished']);
  });

  it('orders LTD EventChanged by its Timestamp at full precision', () => {
    const changed = (time: string): LtdEventChanged => ({
      eventId: 1234,
      details: { EventName: time },
      reportedAt: time,
      ...at(time),
    });

    givenHistory(showDecider, {
      type: 'LtdEventChanged',
      data: changed('2024-05-14T08:26:11.1451353Z'),
    })
      .when({ kind: 'ChangeLtdEvent', changed: changed('2024-05-14T08:26:11.1451352Z') })
      .expectTypes(['SnapshotSuperseded']);
  });
});

describe('performance decider', () => {
  it('records a newer availability report and supersedes an older one', () => {
    const newer = performance('2024-05-14T09:00:00Z', 800);

    givenHistory(performanceDecider)
      .when({ kind: 'ReportPerformance', report: newer })
      .expectTypes(['PerformanceAvailabilityReported']);
    givenHistory(performanceDecider, { type: 'PerformanceAvailabilityReported', data: newer })
      .when({ kind: 'ReportPerformance', report: performance('2024-05-14T08:00:00Z', 900) })
      .expectTypes(['SnapshotSuperseded']);
  });

  it('given the same report redelivered, then it is superseded, not applied twice', () => {
    const report = performance('2024-05-14T09:00:00Z', 800);

    givenHistory(performanceDecider, { type: 'PerformanceAvailabilityReported', data: report })
      .when({ kind: 'ReportPerformance', report })
      .expectTypes(['SnapshotSuperseded']);
  });
});

describe('ticket type decider', () => {
  it('records a group and the copies of its children', () => {
    const group = { ...ticketType(346868, '2018-04-02T13:57:04.770619', 'own'), type: 'Group' };
    const child = ticketType(408218, '2018-04-02T13:57:04.770619', 'embedded');

    givenHistory(ticketTypeDecider)
      .when({ kind: 'ReportTicketType', ticketType: group, embedded: [child] })
      .expectEvents([
        { type: 'TicketTypeReported', data: group },
        { type: 'TicketTypeReported', data: child },
      ]);
  });

  it('given a superseded group webhook, then its embedded copies are still recorded', () => {
    const newer = { ...ticketType(346868, '2018-04-02T14:00:00', 'own'), type: 'Group' };
    const child = ticketType(408218, '2018-04-02T13:00:00', 'embedded');

    givenHistory(ticketTypeDecider, { type: 'TicketTypeReported', data: newer })
      .when({
        kind: 'ReportTicketType',
        ticketType: { ...newer, senderTime: child.senderTime, hash: 'older' },
        embedded: [child],
      })
      .expectTypes(['SnapshotSuperseded', 'TicketTypeReported']);
  });

  it('supersedes an older webhook of the same ticket type, embedded copies aside', () => {
    const newer = ticketType(408218, '2018-04-02T14:00:00', 'own');
    const embedded = ticketType(999, '2018-04-02T15:00:00', 'embedded');

    givenHistory(
      ticketTypeDecider,
      { type: 'TicketTypeReported', data: newer },
      { type: 'TicketTypeReported', data: embedded },
    )
      .when({
        kind: 'ReportTicketType',
        ticketType: ticketType(408218, '2018-04-02T13:00:00', 'own'),
        embedded: [],
      })
      .expectTypes(['SnapshotSuperseded']);
  });
});

describe('snapshot deciders read from their last applied snapshot', () => {
  /** What a writer folds reading backwards: the last event that replaces the state, and after. */
  function foldFromLastReplacing<S>(decider: Decider<unknown, S>, history: LedgerEvent[]): S {
    const from = history.findLastIndex((event) => decider.replacesState?.(event) === true);
    return foldEvents(decider, history.slice(Math.max(0, from)));
  }

  const superseded = (time: string): LedgerEvent => ({
    type: 'SnapshotSuperseded',
    data: {
      subject: 'any',
      ...at(time),
      newestSenderTime: normaliseSenderTime(time),
      newestHash: 'newest',
    },
  });

  it.each([
    [
      'show',
      showDecider as Decider<unknown, SnapshotState>,
      [
        { type: 'CopeEventPublished', data: published('2026-04-01T09:00:00Z', 100) },
        superseded('2026-03-01T09:00:00Z'),
        { type: 'CopeEventPublished', data: published('2026-04-02T09:00:00Z', 120) },
        superseded('2026-03-02T09:00:00Z'),
      ],
    ],
    [
      'performance',
      performanceDecider as Decider<unknown, SnapshotState>,
      [
        { type: 'PerformanceAvailabilityReported', data: performance('2026-04-01T09:00:00', 9) },
        { type: 'PerformanceAvailabilityReported', data: performance('2026-04-02T09:00:00', 8) },
        superseded('2026-03-02T09:00:00'),
      ],
    ],
    [
      'ticket type',
      ticketTypeDecider as Decider<unknown, SnapshotState>,
      [
        { type: 'TicketTypeReported', data: ticketType(1, '2018-04-02T13:00:00', 'own') },
        { type: 'TicketTypeReported', data: ticketType(2, '2018-04-02T15:00:00', 'embedded') },
        superseded('2018-04-02T12:00:00'),
      ],
    ],
  ] as [string, Decider<unknown, SnapshotState>, LedgerEvent[]][])(
    'the %s decider’s state from its last replacing event is the state from its whole history',
    (_name, decider, history) => {
      expect(foldFromLastReplacing(decider, history)).toEqual(foldEvents(decider, history));
      expect(foldEvents(decider, history).newest).toBeDefined();
    },
  );
});
