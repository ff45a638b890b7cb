import { deliveryEventId, uuidV5 } from './deterministic-id.js';

describe('uuidV5', () => {
  it('matches the RFC 9562 example for the DNS namespace', () => {
    const dns = Buffer.from('6ba7b8109dad11d180b400c04fd430c8', 'hex');

    expect(uuidV5('www.example.com', dns)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('gives a delivery the same ids every time, and different ids per index and path', () => {
    const first = deliveryEventId('cope:source\u0000id', 'accepted', 0);

    expect(deliveryEventId('cope:source\u0000id', 'accepted', 0)).toBe(first);
    expect(deliveryEventId('cope:source\u0000id', 'accepted', 1)).not.toBe(first);
    expect(deliveryEventId('cope:source\u0000id', 'parked', 0)).not.toBe(first);
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
