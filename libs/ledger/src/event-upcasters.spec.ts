import type { RecordedEvent } from '#event-store';
import { ledgerUpcasters, SCHEMA_VERSION, UpcasterRegistry } from './event-upcasters.js';

const stored = (
  type: string,
  data: Record<string, string>,
  schemaVersion?: number,
): RecordedEvent => ({
  id: 'e1',
  type,
  data,
  metadata:
    schemaVersion === undefined ? { hash: 'h' } : { hash: 'h', [SCHEMA_VERSION]: schemaVersion },
  streamId: 'ticket-cope.T1',
  revision: 0,
  position: 1,
  recordedAt: '2026-01-01T00:00:00.000Z',
});

describe('ledger upcasters', () => {
  it('given a stored v1 TicketCheckedIn without gate or device, then it reads as v2 with explicit nulls', () => {
    const event = ledgerUpcasters.upcast(
      stored('TicketCheckedIn', { ticketId: 'T1', checkInId: 'C1' }),
    );

    expect(event.data).toEqual({ ticketId: 'T1', checkInId: 'C1', gate: null, deviceId: null });
    expect(event.metadata).toEqual({ hash: 'h', [SCHEMA_VERSION]: 2 });
  });

  it('keeps a v1 gate as it was', () => {
    const event = ledgerUpcasters.upcast(
      stored('TicketCheckedIn', { checkInId: 'C1', gate: 'North' }),
    );

    expect(event.data['gate']).toBe('North');
  });

  it('leaves current events and other types untouched (same object)', () => {
    const current = stored('TicketCheckedIn', { gate: 'North', deviceId: 'D' }, 2);
    const other = stored('TicketDeliveryRequested', { ticketId: 'T1' });

    expect(ledgerUpcasters.upcast(current)).toBe(current);
    expect(ledgerUpcasters.upcast(other)).toBe(other);
    expect(ledgerUpcasters.currentVersion('TicketCheckedIn')).toBe(2);
    expect(ledgerUpcasters.currentVersion('TicketDeliveryRequested')).toBe(1);
  });

  it('chains upcasters and refuses gaps', () => {
    const registry = new UpcasterRegistry([
      { eventType: 'X', fromVersion: 2, upcast: (data) => ({ ...data, three: true }) },
      { eventType: 'X', fromVersion: 1, upcast: (data) => ({ ...data, two: true }) },
    ]);

    expect(registry.upcast(stored('X', {})).data).toEqual({ two: true, three: true });
    expect(registry.upcast(stored('X', {}, 2)).data).toEqual({ three: true });
    expect(
      () => new UpcasterRegistry([{ eventType: 'X', fromVersion: 2, upcast: (d) => d }]),
    ).toThrow('without gaps');
  });
});
