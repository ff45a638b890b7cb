import type { JsonObject } from '#event-store';
import type {
  AffiliateOptInRecorded,
  BookingPerformance,
  BookingTicketIssued,
  BookingTicketRef,
  EticketsReleased,
  LedgerEvent,
} from '../ledger-events.js';
import { compareSnapshots, type SnapshotOrder } from '../sender-clock.js';
import { decideSnapshot, type Decider } from './decider.js';

/** One ticket line of an LTD `TransactionChanged` snapshot, translated. */
export interface TransactionTicket {
  readonly barcode: string;
  readonly seat: string;
  readonly performanceId: number;
  readonly eventId?: number;
  readonly area?: string;
  readonly price?: number;
  readonly status: string;
}

export interface ApplyTransaction extends SnapshotOrder {
  readonly kind: 'ApplyTransaction';
  readonly bookingReference: string;
  readonly deliveryType: string | null;
  readonly customer: JsonObject | null;
  /** Canonical hash of `customer`, to notice a change without keeping personal data in state. */
  readonly customerHash: string | null;
  readonly purchasedAt: string | null;
  readonly tickets: readonly TransactionTicket[];
  /**
   * The performances its orders name (with their EventId), ticket lines or not: an order
   * without tickets still mentions its performance. Ticket lines name theirs too.
   */
  readonly orders?: readonly BookingPerformance[];
  readonly reportedAt: string;
}

export type BookingCommand =
  | ApplyTransaction
  | { readonly kind: 'ReleaseEtickets'; readonly release: EticketsReleased }
  | { readonly kind: 'RecordOptIn'; readonly optIn: AffiliateOptInRecorded };

interface BookingTicketState {
  readonly barcode: string;
  readonly seat: string;
  readonly performanceId: number;
  /** LTD's status as the newest snapshot listing the ticket gives it. */
  readonly status: string;
  readonly cancelled: boolean;
  /** Descriptive details, as last issued: a change re-issues the ticket. */
  readonly eventId?: number;
  readonly area?: string;
  readonly price?: number;
}

export interface BookingState {
  readonly newest: SnapshotOrder | undefined;
  readonly tickets: ReadonlyMap<string, BookingTicketState>;
  /** Per ticket key, the newest snapshot that lists it: the one its details come from. */
  readonly listedBy: ReadonlyMap<string, SnapshotOrder>;
  readonly deliveryType: string | null;
  readonly customerHash: string | null;
}

const CANCELLED = 'Cancelled';

/**
 * The key of an LTD ticket within its booking: barcode and seat (one barcode can admit
 * several seats), and the occurrence number when a snapshot repeats both.
 */
export function ticketKeys(
  tickets: readonly Pick<TransactionTicket, 'barcode' | 'seat'>[],
): string[] {
  const seen = new Map<string, number>();
  return tickets.map(({ barcode, seat }) => {
    const base = `${barcode}|${seat}`;
    const occurrence = seen.get(base) ?? 0;
    seen.set(base, occurrence + 1);
    return occurrence === 0 ? base : `${base}|${String(occurrence)}`;
  });
}

/**
 * LTD booking streams (`booking-ltd.<BookingReference>`). `TransactionChanged` carries
 * the booking's whole state; it becomes ticket events by difference with the state
 * the stream already holds (intake.md, "Snapshots and ordering").
 *
 * The outcome is a function of the set of snapshots, not of their arrival order: every
 * ticket any snapshot lists is known; its details (performance, event, area, price, LTD
 * status) are those of the newest snapshot that lists it; it is live when the newest
 * snapshot of all lists it with a status other than `Cancelled`, else cancelled (reason
 * `removed` when the newest snapshot does not list it). A late snapshot changes no
 * status, but it still describes the tickets it is the newest listing of.
 */
export const bookingDecider: Decider<BookingCommand, BookingState> = {
  initialState: {
    newest: undefined,
    tickets: new Map(),
    listedBy: new Map(),
    deliveryType: null,
    customerHash: null,
  },

  evolve(state, event) {
    switch (event.type) {
      case 'BookingSnapshotApplied': {
        const order = { senderTime: event.data.senderTime, hash: event.data.hash };
        return { ...withListing(state, event.data.ticketKeys, order), newest: order };
      }
      case 'SnapshotSuperseded':
        // Events stored before superseded snapshots recorded their listing carry none.
        return event.data.ticketKeys === undefined
          ? state
          : withListing(state, event.data.ticketKeys, event.data);
      case 'BookingDetailsChanged':
        return {
          ...state,
          deliveryType: event.data.deliveryType,
          customerHash: event.data.customerHash,
        };
      case 'BookingTicketIssued':
        return withTicket(state, event.data.ticketKey, {
          barcode: event.data.barcode,
          seat: event.data.seat,
          performanceId: event.data.performanceId,
          status: event.data.status,
          cancelled: false,
          ...details(event.data),
        });
      case 'BookingTicketReinstated':
        return ticketMoved(state, event.data, { status: event.data.status, cancelled: false });
      case 'BookingTicketCancelled': {
        const previous = state.tickets.get(event.data.ticketKey)?.status ?? CANCELLED;
        const status = event.data.reason === 'status' ? CANCELLED : previous;
        return ticketMoved(state, event.data, { status, cancelled: true });
      }
      default:
        return state;
    }
  },

  decide(command, state) {
    switch (command.kind) {
      case 'ReleaseEtickets':
        return [{ type: 'EticketsReleased', data: command.release }];
      case 'RecordOptIn':
        return [{ type: 'AffiliateOptInRecorded', data: command.optIn }];
      case 'ApplyTransaction': {
        const decided = decideSnapshot(
          `ltd booking ${command.bookingReference}`,
          command,
          state,
          () => diffTransaction(command, state),
        );
        const [superseded] = decided;
        if (superseded?.type !== 'SnapshotSuperseded') return decided;
        return [
          {
            type: 'SnapshotSuperseded',
            data: {
              ...superseded.data,
              ticketKeys: ticketKeys(command.tickets),
              performances: performancesOf(command),
            },
          },
          ...describedByLateSnapshot(command, state),
        ];
      }
    }
  },
};

/** The optional details of a ticket line, as stored (absent ones left out). */
function details(ticket: Pick<TransactionTicket, 'eventId' | 'area' | 'price'>) {
  return {
    ...(ticket.eventId === undefined ? {} : { eventId: ticket.eventId }),
    ...(ticket.area === undefined ? {} : { area: ticket.area }),
    ...(ticket.price === undefined ? {} : { price: ticket.price }),
  };
}

/** Whether a known ticket already carries a snapshot line's details (status aside). */
function sameDetails(previous: BookingTicketState, ticket: TransactionTicket): boolean {
  return (
    previous.performanceId === ticket.performanceId &&
    previous.eventId === ticket.eventId &&
    previous.area === ticket.area &&
    previous.price === ticket.price
  );
}

/** A known ticket's new place and status; its other details (event, area, price) stay. */
function ticketMoved(
  state: BookingState,
  data: BookingTicketRef & { readonly performanceId: number },
  change: Pick<BookingTicketState, 'status' | 'cancelled'>,
): BookingState {
  return withTicket(state, data.ticketKey, {
    ...state.tickets.get(data.ticketKey),
    barcode: data.barcode,
    seat: data.seat,
    performanceId: data.performanceId,
    ...change,
  });
}

function withTicket(state: BookingState, key: string, ticket: BookingTicketState): BookingState {
  const tickets = new Map(state.tickets);
  tickets.set(key, ticket);
  return { ...state, tickets };
}

/** Each listed key's newest listing: the later of the one known and `order`. */
function withListing(
  state: BookingState,
  keys: readonly string[],
  order: SnapshotOrder,
): BookingState {
  const listedBy = new Map(state.listedBy);
  const snapshot = { senderTime: order.senderTime, hash: order.hash };
  for (const key of keys) {
    const known = listedBy.get(key);
    if (known === undefined || compareSnapshots(snapshot, known) > 0) listedBy.set(key, snapshot);
  }
  return { ...state, listedBy };
}

/** The performances a snapshot's orders and tickets name, each with the smallest EventId given it. */
function performancesOf(command: ApplyTransaction): BookingPerformance[] {
  const events = new Map<number, number | undefined>();
  for (const { performanceId, eventId } of [...(command.orders ?? []), ...command.tickets]) {
    const known = events.get(performanceId);
    if (!events.has(performanceId)) events.set(performanceId, eventId);
    else if (eventId !== undefined && (known === undefined || eventId < known)) {
      events.set(performanceId, eventId);
    }
  }
  return [...events]
    .sort(([a], [b]) => a - b)
    .map(([performanceId, eventId]) =>
      eventId === undefined ? { performanceId } : { performanceId, eventId },
    );
}

/**
 * A superseded snapshot changes no status: the newest snapshot does not list the tickets
 * it is the newest listing of (else that one would be newer), so those are cancelled as
 * removed. But it is still their newest description: a ticket never seen is issued with
 * its details then cancelled, and a known one whose details differ is issued again with
 * them, then cancelled again. Without this, a ticket's performance and area would depend
 * on the order in which the snapshots arrived.
 */
function describedByLateSnapshot(command: ApplyTransaction, state: BookingState): LedgerEvent[] {
  const keys = ticketKeys(command.tickets);
  return command.tickets.flatMap((ticket, index) => {
    const ticketKey = keys[index] ?? '';
    const previous = state.tickets.get(ticketKey);
    const listedBy = state.listedBy.get(ticketKey);
    if (previous) {
      // A newer snapshot lists it (or, in a stream recorded before listings were, may).
      if (listedBy === undefined || compareSnapshots(command, listedBy) <= 0) return [];
      if (
        previous.cancelled &&
        previous.status === ticket.status &&
        sameDetails(previous, ticket)
      ) {
        return [];
      }
    }
    const ref = {
      bookingReference: command.bookingReference,
      barcode: ticket.barcode,
      seat: ticket.seat,
      ticketKey,
    };
    return [
      { type: 'BookingTicketIssued' as const, data: issuedTicket(ref, ticket) },
      {
        type: 'BookingTicketCancelled' as const,
        data: { ...ref, performanceId: ticket.performanceId, reason: 'removed' as const },
      },
    ];
  });
}

function issuedTicket(ref: BookingTicketRef, ticket: TransactionTicket): BookingTicketIssued {
  return {
    ...ref,
    performanceId: ticket.performanceId,
    ...details(ticket),
    status: ticket.status,
  };
}

function diffTransaction(command: ApplyTransaction, state: BookingState): LedgerEvent[] {
  const { bookingReference } = command;
  const events: LedgerEvent[] = [];
  const keys = ticketKeys(command.tickets);

  if (
    state.newest === undefined ||
    state.deliveryType !== command.deliveryType ||
    state.customerHash !== command.customerHash
  ) {
    events.push({
      type: 'BookingDetailsChanged',
      data: {
        bookingReference,
        deliveryType: command.deliveryType,
        previousDeliveryType: state.deliveryType,
        customerChanged: state.customerHash !== command.customerHash,
        customer: command.customer,
        customerHash: command.customerHash,
      },
    });
  }

  command.tickets.forEach((ticket, index) => {
    const ticketKey = keys[index] ?? '';
    const ref: BookingTicketRef = {
      bookingReference,
      barcode: ticket.barcode,
      seat: ticket.seat,
      ticketKey,
    };
    const issued = { type: 'BookingTicketIssued' as const, data: issuedTicket(ref, ticket) };
    const cancel = {
      type: 'BookingTicketCancelled' as const,
      data: { ...ref, performanceId: ticket.performanceId, reason: 'status' as const },
    };
    const previous = state.tickets.get(ticketKey);
    const cancelled = ticket.status === CANCELLED;
    if (!previous) {
      events.push(issued);
      if (cancelled) events.push(cancel);
      return;
    }
    // Moved (performance, event) or re-described (area, price): issued again with the
    // newer details, whatever its status, so that read models hold the newest listing's.
    const moved = !sameDetails(previous, ticket);
    if (cancelled) {
      if (moved) events.push(issued);
      // Cancelled again when re-issued, when live, or when it was removed with another status.
      if (moved || !previous.cancelled || previous.status !== CANCELLED) events.push(cancel);
    } else if (previous.cancelled) {
      events.push({
        type: 'BookingTicketReinstated',
        data: { ...ref, performanceId: ticket.performanceId, status: ticket.status },
      });
      if (moved) events.push(issued);
    } else if (moved || previous.status !== ticket.status) {
      events.push(issued);
    }
  });

  const listed = new Set(keys);
  for (const [ticketKey, previous] of state.tickets) {
    if (listed.has(ticketKey) || previous.cancelled) continue;
    events.push({
      type: 'BookingTicketCancelled',
      data: {
        bookingReference,
        barcode: previous.barcode,
        seat: previous.seat,
        ticketKey,
        performanceId: previous.performanceId,
        reason: 'removed',
      },
    });
  }

  events.push({
    type: 'BookingSnapshotApplied',
    data: {
      bookingReference,
      deliveryType: command.deliveryType,
      purchasedAt: command.purchasedAt,
      ticketKeys: keys,
      performances: performancesOf(command),
      reportedAt: command.reportedAt,
      senderTime: command.senderTime,
      hash: command.hash,
    },
  });
  return events;
}
