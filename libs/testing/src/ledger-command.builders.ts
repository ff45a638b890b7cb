import { normaliseSenderTime, type ApplyTransaction, type TransactionTicket } from '#ledger';

/**
 * Builders of decider commands for specs that drive a stream through its decider (to
 * get the events it would record in a given arrival order).
 */

/** An LTD ticket line: barcode and seat as arguments, the rest defaulted. */
export function ltdTicketLine(
  barcode: string,
  seat: string,
  overrides: Partial<TransactionTicket> = {},
): TransactionTicket {
  return {
    barcode,
    seat,
    performanceId: 1001,
    eventId: 501,
    area: 'Stalls',
    price: 84,
    status: 'Purchased',
    ...overrides,
  };
}

/** An LTD `TransactionChanged` as a command, ordered by `at` (hash derived from it). */
export function ltdTransaction(
  bookingReference: string,
  at: string,
  tickets: readonly TransactionTicket[],
  overrides: Partial<ApplyTransaction> = {},
): ApplyTransaction {
  return {
    kind: 'ApplyTransaction',
    bookingReference,
    deliveryType: 'PrintAtHomeTickets',
    customer: null,
    customerHash: null,
    purchasedAt: null,
    tickets,
    reportedAt: at,
    senderTime: normaliseSenderTime(at),
    hash: `hash-${bookingReference}-${at}`,
    ...overrides,
  };
}
