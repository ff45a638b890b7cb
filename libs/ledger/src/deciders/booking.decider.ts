import type { JsonObject } from '#event-store';
import type {
  AffiliateOptInRecorded,
  BookingTicketIssued,
  BookingTicketRef,
  EticketsReleased,
  LedgerEvent,
} from '../ledger-events.js';
import type { SnapshotOrder } from '../sender-clock.js';
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
  readonly status: string;
  readonly cancelled: boolean;
  /** Descriptive details, as last issued: a change re-issues the ticket. */
  readonly area?: string;
  readonly price?: number;
}

export interface BookingState {
  readonly newest: SnapshotOrder | undefined;
  readonly tickets: ReadonlyMap<string, BookingTicketState>;
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
 */
export const bookingDecider: Decider<BookingCommand, BookingState> = {
  initialState: { newest: undefined, tickets: new Map(), deliveryType: null, customerHash: null },

  evolve(state, event) {
    switch (event.type) {
      case 'BookingSnapshotApplied':
        return { ...state, newest: { senderTime: event.data.senderTime, hash: event.data.hash } };
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
          ...(event.data.area === undefined ? {} : { area: event.data.area }),
          ...(event.data.price === undefined ? {} : { price: event.data.price }),
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
        const superseded = decided[0]?.type === 'SnapshotSuperseded';
        return superseded ? [...decided, ...ticketsOnlyInOlderSnapshot(command, state)] : decided;
      }
    }
  },
};

/** A known ticket's new place and status; its descriptive details (area, price) stay. */
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

/**
 * A superseded snapshot changes no ticket the booking knows, but a ticket the booking
 * has never seen is still a fact: it was issued, and since the newest snapshot does not
 * list it, it counts as removed. Without this, the set of known tickets would depend
 * on arrival order (older-then-newer would know it, newer-then-older would not).
 */
function ticketsOnlyInOlderSnapshot(command: ApplyTransaction, state: BookingState): LedgerEvent[] {
  const keys = ticketKeys(command.tickets);
  return command.tickets.flatMap((ticket, index) => {
    const ticketKey = keys[index] ?? '';
    if (state.tickets.has(ticketKey)) return [];
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
    ...(ticket.eventId === undefined ? {} : { eventId: ticket.eventId }),
    ...(ticket.area === undefined ? {} : { area: ticket.area }),
    ...(ticket.price === undefined ? {} : { price: ticket.price }),
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
    const previous = state.tickets.get(ticketKey);
    const cancelled = ticket.status === CANCELLED;
    if (!previous) {
      events.push({ type: 'BookingTicketIssued', data: issuedTicket(ref, ticket) });
      if (cancelled) {
        events.push({
          type: 'BookingTicketCancelled',
          data: { ...ref, performanceId: ticket.performanceId, reason: 'status' },
        });
      }
    } else if (previous.cancelled && !cancelled) {
      events.push({
        type: 'BookingTicketReinstated',
        data: { ...ref, performanceId: ticket.performanceId, status: ticket.status },
      });
      if (previous.area !== ticket.area || previous.price !== ticket.price) {
        events.push({ type: 'BookingTicketIssued', data: issuedTicket(ref, ticket) });
      }
    } else if (!previous.cancelled && cancelled) {
      events.push({
        type: 'BookingTicketCancelled',
        data: { ...ref, performanceId: ticket.performanceId, reason: 'status' },
      });
    } else if (
      !cancelled &&
      (previous.performanceId !== ticket.performanceId ||
        previous.status !== ticket.status ||
        previous.area !== ticket.area ||
        previous.price !== ticket.price)
    ) {
      // Moved to another performance or live status, or re-described (area, price):
      // issued again with the newer details, so read models show what the newest
      // snapshot says.
      events.push({ type: 'BookingTicketIssued', data: issuedTicket(ref, ticket) });
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
      reportedAt: command.reportedAt,
      senderTime: command.senderTime,
      hash: command.hash,
    },
  });
  return events;
}
