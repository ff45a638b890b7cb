import { deliveryIdentity } from './deduplication-keys.js';

const cope = (overrides: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: 'evt-1',
  source: 'cope.ticketing',
  type: 'ticketing.check_in.created',
  idempotency_key: 'idem-1',
  data: { a: 1 },
  ...overrides,
});

describe('deliveryIdentity', () => {
  it('keys a COPE event by source+id and by idempotency_key', () => {
    const identity = deliveryIdentity('cope', cope());

    expect(identity.keys).toHaveLength(2);
    expect(identity.keys.every((key) => /^dedup-cope\.[0-9a-f-]{36}$/.test(key))).toBe(true);
    expect(identity.deliveryKey).toContain('evt-1');
  });

  it('gives another id with the same idempotency_key one key in common', () => {
    const first = deliveryIdentity('cope', cope());
    const second = deliveryIdentity('cope', cope({ id: 'evt-2', data: { b: 2 } }));

    expect(first.keys[0]).not.toBe(second.keys[0]);
    expect(first.keys[1]).toBe(second.keys[1]);
  });

  it('keys LTD and Ingresse by the canonical hash, whatever the key order or whitespace', () => {
    const a = deliveryIdentity(
      'ltd',
      JSON.parse('{"MessageType":"X","Payload":{"b":1,"a":[1,2]}}'),
    );
    const b = deliveryIdentity(
      'ltd',
      JSON.parse('{ "Payload" : { "a" : [1, 2], "b" : 1.0 }, "MessageType" : "X" }'),
    );

    expect(a.keys).toEqual(b.keys);
    expect(a.keys[0]).toMatch(/^dedup-ltd\./);
    expect(deliveryIdentity('ingresse', { webhook: 'ticket' }).keys[0]).toMatch(
      /^dedup-ingresse\./,
    );
  });

  it('gives a parked copy its own key, which changes with the body', () => {
    const first = deliveryIdentity('cope', cope());
    const corrected = deliveryIdentity('cope', cope({ data: { a: 2 } }));

    expect(first.keys).not.toContain(first.parkedKey);
    expect(corrected.keys).toEqual(first.keys);
    expect(corrected.parkedKey).not.toBe(first.parkedKey);
  });

  it('falls back to the body hash for a COPE event without source or id', () => {
    const { id: _id, idempotency_key: _key, ...anonymous } = cope();
    const identity = deliveryIdentity('cope', anonymous);

    expect(identity.keys).toHaveLength(1);
    expect(identity.deliveryKey).toContain(identity.canonicalHash);
  });
});
