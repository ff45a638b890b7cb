import { createHmac } from 'node:crypto';
import {
  bookingDecider,
  canonicalJsonSha256,
  consentDecider,
  normaliseSenderTime,
  performanceDecider,
  showDecider,
  streamIds,
  type TransactionTicket,
} from '#ledger';
import type { LtdAffiliateOptIn, LtdMessage, LtdTransactionChanged } from '../providers/index.js';
import { asJson, streamDecision, type StreamDecision } from './stream-decision.js';

/** A seat as LTD names it: `SeatInfo`, else row and number (`TicketName1` + `TicketName2`). */
export function ltdSeat(ticket: {
  SeatInfo?: string | null;
  TicketName1?: string | number | null;
  TicketName2?: string | number | null;
}): string {
  if (typeof ticket.SeatInfo === 'string' && ticket.SeatInfo !== '') return ticket.SeatInfo;
  return `${String(ticket.TicketName1 ?? '')}${String(ticket.TicketName2 ?? '')}`;
}

/**
 * A valid LTD message → its stream and command. `dataKey` keys the digest that names a
 * consent stream, so that an e-mail cannot be guessed back from a stream id.
 */
export function translateLtdMessage(message: LtdMessage, dataKey: Buffer): StreamDecision {
  const reportedAt = message.Timestamp;
  switch (message.MessageType) {
    case 'TransactionChanged':
      return transaction(message);
    case 'ScheduledEticketDelivery': {
      const payload = message.Payload;
      return streamDecision(
        streamIds.ltdBooking(payload.BookingReference),
        'booking',
        bookingDecider,
        {
          kind: 'ReleaseEtickets',
          release: {
            bookingReference: payload.BookingReference,
            releasedAt: reportedAt,
            tickets: payload.Tickets.map((ticket) => ({
              barcode: ticket.Barcode,
              seat: ltdSeat(ticket),
              ...(typeof ticket.AreaName === 'string' ? { area: ticket.AreaName } : {}),
            })),
          },
        },
      );
    }
    case 'PerformanceChanged': {
      const payload = message.Payload;
      return streamDecision(
        streamIds.ltdPerformance(payload.PerformanceId),
        'performance',
        performanceDecider,
        {
          kind: 'ReportPerformance',
          report: {
            performanceId: payload.PerformanceId,
            eventId: payload.EventId,
            totalSeats: payload.TotalSeatsCount,
            availableSeats: payload.TotalAvailableTicketsCount,
            disabled: payload.IsDisabled ?? null,
            hasOffer: payload.HasOffer ?? null,
            performanceDateTime: payload.PerformanceDateTime ?? null,
            reportedAt,
            senderTime: normaliseSenderTime(reportedAt),
            hash: canonicalJsonSha256(payload),
          },
        },
      );
    }
    case 'EventChanged': {
      const payload = message.Payload;
      return streamDecision(streamIds.ltdShow(payload.EventId), 'show', showDecider, {
        kind: 'ChangeLtdEvent',
        changed: {
          eventId: payload.EventId,
          details: asJson(payload),
          reportedAt,
          senderTime: normaliseSenderTime(reportedAt),
          hash: canonicalJsonSha256(payload),
        },
      });
    }
    case 'AffiliateOptIn':
      return optIn(message, dataKey);
  }
}

function transaction(message: LtdTransactionChanged): StreamDecision {
  const payload = message.Payload;
  const tickets: TransactionTicket[] = payload.Orders.flatMap((order) =>
    order.Tickets.map((ticket) => ({
      barcode: ticket.Barcode,
      seat: ltdSeat(ticket),
      performanceId: order.PerformanceId,
      ...(typeof order.EventId === 'number' ? { eventId: order.EventId } : {}),
      ...(typeof ticket.AreaName === 'string' ? { area: ticket.AreaName } : {}),
      ...(typeof ticket.Price === 'number' ? { price: ticket.Price } : {}),
      status: ticket.Status,
    })),
  );
  const customer = payload.Customer ? asJson(payload.Customer) : null;
  return streamDecision(streamIds.ltdBooking(payload.BookingReference), 'booking', bookingDecider, {
    kind: 'ApplyTransaction',
    bookingReference: payload.BookingReference,
    deliveryType: payload.DeliveryType ?? null,
    customer,
    customerHash: customer ? canonicalJsonSha256(customer) : null,
    purchasedAt: payload.PurchaseDateTime ?? null,
    tickets,
    orders: payload.Orders.map((order) => ({
      performanceId: order.PerformanceId,
      ...(typeof order.EventId === 'number' ? { eventId: order.EventId } : {}),
    })),
    reportedAt: message.Timestamp,
    senderTime: normaliseSenderTime(message.Timestamp),
    hash: canonicalJsonSha256(payload),
  });
}

function optIn(message: LtdAffiliateOptIn, dataKey: Buffer): StreamDecision {
  const payload = message.Payload;
  const customerDigest = createHmac('sha256', dataKey)
    .update(payload.Customer.Email.toLowerCase())
    .digest('hex');
  const bookingReference = payload.Booking?.BookingReference;
  const command = {
    kind: 'RecordOptIn' as const,
    optIn: {
      bookingReference: bookingReference || null,
      customerDigest,
      optInText: payload.OptInText,
      isOptedIn: payload.IsOptedIn,
      reportedAt: message.Timestamp,
    },
  };
  return bookingReference
    ? streamDecision(streamIds.ltdBooking(bookingReference), 'booking', bookingDecider, command)
    : streamDecision(streamIds.ltdConsent(customerDigest), 'consent', consentDecider, command);
}
