import type { JsonObject, RecordedEvent } from '#event-store';
import { AUDIT_CHECKPOINTS_STREAM } from '#ledger';
import { givenEvents } from '#testing';
import { AuditIndex } from './audit-index.queries.js';
import { auditProjection, AUDITED_EVENT_TYPES } from './audit.projection.js';

let position = 0;

function stored(
  streamId: string,
  revision: number,
  type: string,
  data: JsonObject,
  metadata: JsonObject = {},
  id = `${streamId}#${String(revision)}`,
): RecordedEvent {
  position += 1;
  return {
    id,
    type,
    data,
    metadata: { hash: `hash-${id}`, ...metadata },
    streamId,
    revision,
    position,
    recordedAt: '2026-05-05T12:00:00.000Z',
  };
}

const receipt = (streamId: string, revision: number, id: string, data: JsonObject = {}) =>
  stored(
    streamId,
    revision,
    'WebhookReceived',
    { provider: 'cope', messageType: 'm', outcome: 'accepted', receivedAt: 'r', ...data },
    {},
    id,
  );

describe('the audit projection', () => {
  it('reads every type of the event catalogue', () => {
    expect(AUDITED_EVENT_TYPES).toEqual(
      expect.arrayContaining([
        'WebhookReceived',
        'ParkedDeliveryReprocessed',
        'TicketTypeReported',
      ]),
    );
    expect(AUDITED_EVENT_TYPES).toHaveLength(16);
  });

  it('given a COPE delivery and a check-in, then the receipt, the events it caused and the ticket code are indexed', () => {
    const scenario = givenEvents(
      auditProjection,
      receipt('ticket-cope.T1', 0, 'R1'),
      stored(
        'ticket-cope.T1',
        1,
        'TicketDeliveryRequested',
        { ticketId: 'T1' },
        { causationId: 'R1' },
      ),
    ).when(
      receipt('ticket-cope.T1', 2, 'R2'),
      stored('ticket-cope.T1', 3, 'TicketCheckedIn', { ticketId: 'T1' }, { causationId: 'R2' }),
    );
    const index = new AuditIndex(scenario.db, scenario.table);

    expect(index.receipt('R2')).toEqual({
      receiptId: 'R2',
      streamId: 'ticket-cope.T1',
      revision: 2,
      position: expect.any(Number) as unknown,
      provider: 'cope',
      outcome: 'accepted',
    });
    expect(index.caused('R1')).toEqual([
      { streamId: 'ticket-cope.T1', fromRevision: 1, toRevision: 1 },
    ]);
    expect(index.ticketStreams('T1')).toEqual(['ticket-cope.T1']);
    expect(index.head('ticket-cope.T1')).toMatchObject({
      revision: 3,
      hash: 'hash-ticket-cope.T1#3',
    });
    scenario.close();
  });

  it('given an LTD booking and an e-ticket release, then each barcode leads to the booking stream, and a receipt’s caused range spans its events', () => {
    const scenario = givenEvents(
      auditProjection,
      receipt('booking-ltd.B1', 0, 'R1', { provider: 'ltd' }),
      stored('booking-ltd.B1', 1, 'BookingTicketIssued', { barcode: 'BC1' }, { causationId: 'R1' }),
      stored('booking-ltd.B1', 2, 'BookingTicketIssued', { barcode: 'BC2' }, { causationId: 'R1' }),
      receipt('booking-ltd.B2', 0, 'R2', { provider: 'ltd' }),
      stored(
        'booking-ltd.B2',
        1,
        'EticketsReleased',
        { tickets: [{ barcode: 'BC1' }, { barcode: 'BC3' }, { barcode: 'BC3' }] },
        { causationId: 'R2' },
      ),
    );
    const index = new AuditIndex(scenario.db, scenario.table);

    expect(index.ticketStreams('BC1')).toEqual(['booking-ltd.B1', 'booking-ltd.B2']);
    expect(index.ticketStreams('BC3')).toEqual(['booking-ltd.B2']);
    expect(index.ticketStreams('nobody')).toEqual([]);
    expect(index.caused('R1')).toEqual([
      { streamId: 'booking-ltd.B1', fromRevision: 1, toRevision: 2 },
    ]);
    scenario.close();
  });

  it('given a parked delivery reprocessed, then its attempts are indexed by the parked receipt', () => {
    const scenario = givenEvents(
      auditProjection,
      receipt('parked-ltd', 0, 'P1', { outcome: 'parked', parkedReason: 'unsupported_type' }),
      stored('parked-ltd', 1, 'ParkedDeliveryReprocessed', {
        parkedReceiptId: 'P1',
        outcome: 'parked',
      }),
    );
    const index = new AuditIndex(scenario.db, scenario.table);

    expect(index.receipt('P1')).toMatchObject({ outcome: 'parked', streamId: 'parked-ltd' });
    expect(index.reprocessing('P1')).toEqual([{ streamId: 'parked-ltd', revision: 1 }]);
    scenario.close();
  });

  it('given events across batches, then the heads changed after a position are exactly the streams written since', () => {
    const scenario = givenEvents(
      auditProjection,
      receipt('show-cope.E1', 0, 'R1'),
      receipt('show-cope.E2', 0, 'R2'),
    );
    const since = position;
    scenario.when(
      receipt('show-cope.E2', 1, 'R3'),
      stored(AUDIT_CHECKPOINTS_STREAM, 0, 'IntegrityCheckpoint', {}),
    );
    const index = new AuditIndex(scenario.db, scenario.table);

    expect(index.headsAfter(since).map((head) => [head.streamId, head.revision])).toEqual([
      ['show-cope.E2', 1],
    ]);
    expect(index.headsAfter(0)).toHaveLength(2);
    scenario.close();
  });
});
