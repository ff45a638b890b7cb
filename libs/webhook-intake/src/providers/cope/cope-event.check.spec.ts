import {
  violatedPointers,
  violationsOf,
  withValue,
  withoutValue,
} from '../../validation/payload-check.fixtures.js';
import { checkCopeEvent } from './cope-event.check.js';
import {
  COPE_CHECK_IN_CREATED_EXAMPLE,
  COPE_EVENT_PUBLISHED_EXAMPLE,
  COPE_EXAMPLES,
  COPE_TICKET_DELIVERY_REQUESTED_EXAMPLE,
} from './cope.fixtures.js';
import { INGRESSE_TICKET_TYPE_EXAMPLE } from '../ingresse/ingresse.fixtures.js';
import { LTD_EXAMPLES } from '../ltd/ltd.fixtures.js';

const DELIVERY = COPE_TICKET_DELIVERY_REQUESTED_EXAMPLE;
const PUBLISHED = COPE_EVENT_PUBLISHED_EXAMPLE;
const CHECK_IN = COPE_CHECK_IN_CREATED_EXAMPLE;

describe('checkCopeEvent', () => {
  describe('given the seed examples', () => {
    it.each(Object.entries(COPE_EXAMPLES))(
      'when %s is checked, then it is valid and the message is the body itself',
      (type, example) => {
        const body = structuredClone(example);
        const check = checkCopeEvent(body);
        expect(check).toEqual({ outcome: 'valid', messageType: type, message: body });
        expect(check.outcome === 'valid' && check.message).toBe(body);
      },
    );
  });

  describe('given a valid message', () => {
    it('when narrowed on type, then its payload is typed for that type', () => {
      const check = checkCopeEvent(structuredClone(PUBLISHED));
      if (check.outcome !== 'valid') throw new Error(check.outcome);
      const event = check.message;
      // Compile-time as much as run-time: the union narrows on `type`.
      const capacity = event.type === 'ticketing.event.published' ? event.data.capacity : -1;
      expect(capacity).toBe(1000);
    });
  });

  describe('given fields beyond the contract', () => {
    it('when checked, then the event is valid and the extra fields are kept', () => {
      const body = withValue(
        withValue(withValue(PUBLISHED, '/comexampleextension', 5), '/data/new_in_1_3', {
          deep: [1],
        }),
        '/source',
        'cope.elsewhere',
      );
      const check = checkCopeEvent(body);
      expect(check.outcome).toBe('valid');
      expect(check.outcome === 'valid' && check.message).toBe(body);
      expect(body).toMatchObject({ comexampleextension: 5, data: { new_in_1_3: { deep: [1] } } });
    });
  });

  describe('given a required envelope attribute missing', () => {
    it.each(['specversion', 'id', 'source', 'type', 'data'])(
      'when %s is absent, then it is a contract violation at its pointer',
      (attribute) => {
        const check = checkCopeEvent(withoutValue(DELIVERY, `/${attribute}`));
        expect(violationsOf(check)).toEqual([
          { pointer: `/${attribute}`, message: `${attribute} is required` },
        ]);
      },
    );

    it('when type is absent, then no message type is reported', () => {
      const check = checkCopeEvent(withoutValue(DELIVERY, '/type'));
      expect(check).toMatchObject({ outcome: 'contract_violation', messageType: undefined });
    });
  });

  describe('given a required payload field missing', () => {
    const required: [string, object, string][] = [
      ...[
        'attendee',
        'delivery_kind',
        'event_id',
        'event_product_id',
        'event_type',
        'occurred_at',
        'recipient',
        'requested_at',
        'schema_version',
        'ticket_delivery_id',
        'ticket_id',
      ].map((field): [string, object, string] => [DELIVERY.type, DELIVERY, field]),
      ...[
        'capacity',
        'ends_at',
        'event_id',
        'event_product_ids',
        'event_type',
        'occurred_at',
        'schema_version',
        'starts_at',
        'status',
        'timezone',
        'title',
      ].map((field): [string, object, string] => [PUBLISHED.type, PUBLISHED, field]),
      ...[
        'attendee',
        'check_in_id',
        'checked_in_at',
        'event_id',
        'event_product_id',
        'event_type',
        'occurred_at',
        'scanner_session_id',
        'schema_version',
        'ticket_id',
      ].map((field): [string, object, string] => [CHECK_IN.type, CHECK_IN, field]),
    ];

    it.each(required)(
      'when %s lacks data.%s, then the violation points at it',
      (type, example, field) => {
        // With dataschema present, a missing schema_version is still read as v1.
        const check = checkCopeEvent(withoutValue(example, `/data/${field}`));
        expect(check).toMatchObject({ outcome: 'contract_violation', messageType: type });
        expect(violationsOf(check)).toEqual([
          { pointer: `/data/${field}`, message: `${field} is required` },
        ]);
      },
    );

    it('when a required field is null, then the violation says so', () => {
      const check = checkCopeEvent(withValue(DELIVERY, '/data/ticket_id', null));
      expect(violationsOf(check)).toEqual([
        { pointer: '/data/ticket_id', message: 'ticket_id must not be null' },
      ]);
    });
  });

  describe('given a field of the wrong type', () => {
    it.each([
      [DELIVERY, '/id', 42],
      [DELIVERY, '/id', ''],
      [DELIVERY, '/source', ['cope.ticketing']],
      [DELIVERY, '/data', 'not an object'],
      [DELIVERY, '/data', [{ ticket_id: 'x' }]],
      [DELIVERY, '/data/attendee', 'buyer@example.com'],
      [DELIVERY, '/data/attendee', []],
      [DELIVERY, '/data/ticket_id', 12],
      [DELIVERY, '/data/ticket_id', ''],
      [DELIVERY, '/data/recipient', false],
      [DELIVERY, '/data/order_id', 7],
      [DELIVERY, '/data/order_id', null],
      [DELIVERY, '/data/order_line_id', {}],
      [PUBLISHED, '/data/capacity', -1],
      [PUBLISHED, '/data/capacity', 10.5],
      [PUBLISHED, '/data/capacity', '1000'],
      [PUBLISHED, '/data/capacity', 2 ** 60],
      [PUBLISHED, '/data/event_product_ids', 'p1'],
      [PUBLISHED, '/data/event_product_ids', ['p1', 2]],
      [PUBLISHED, '/data/title', null],
      [PUBLISHED, '/data/venue', 'Main hall'],
      [PUBLISHED, '/data/schema_version', 1],
      [CHECK_IN, '/data/device_id', 3],
      [CHECK_IN, '/data/gate', ['A']],
      [CHECK_IN, '/idempotency_key', ''],
      [CHECK_IN, '/datacontenttype', 1],
    ])('when %#: %s is %j, then it is a violation at that pointer', (example, pointer, value) => {
      const check = checkCopeEvent(withValue(example, pointer, value));
      expect(violatedPointers(check)).toEqual([pointer]);
    });

    it('when data is an array, then only data is reported, not the fields inside it', () => {
      const check = checkCopeEvent(withValue(DELIVERY, '/data', [{}]));
      expect(violationsOf(check)).toEqual([
        { pointer: '/data', message: 'data must be an object' },
      ]);
    });

    it('when optional fields are present and well typed, then the event is valid', () => {
      const body = withValue(
        withValue(withValue(DELIVERY, '/data/order_id', 'o-1'), '/data/order_line_id', 'ol-1'),
        '/time',
        null,
      );
      expect(checkCopeEvent(body).outcome).toBe('valid');
      const published = withValue(PUBLISHED, '/data/venue', { name: 'Hall' });
      expect(checkCopeEvent(withValue(published, '/data/capacity', 0)).outcome).toBe('valid');
      const checkIn = withValue(withValue(CHECK_IN, '/data/device_id', 'd'), '/data/gate', 'A');
      expect(checkCopeEvent(checkIn).outcome).toBe('valid');
    });
  });

  describe('given a wrong const', () => {
    it.each([
      [DELIVERY, '/specversion', '0.3'],
      [DELIVERY, '/specversion', 1.0],
      [DELIVERY, '/data/event_type', 'ticketing.check_in.created'],
      [CHECK_IN, '/data/event_type', 'ticketing.check_in.deleted'],
      [PUBLISHED, '/data/status', 'draft'],
    ])('when %#: %s is %j, then it is a violation at that pointer', (example, pointer, value) => {
      expect(violatedPointers(checkCopeEvent(withValue(example, pointer, value)))).toEqual([
        pointer,
      ]);
    });

    it('when event_type differs from the CloudEvent type, then the message says so', () => {
      const check = checkCopeEvent(withValue(PUBLISHED, '/data/event_type', 'x'));
      expect(violationsOf(check)[0]?.message).toMatch(/event_type must equal the CloudEvent type/);
    });
  });

  describe('given instants', () => {
    it.each([
      ['/data/occurred_at', '2026-05-05T12:00:00.000'],
      ['/data/requested_at', '2026-05-05T12:00:00'],
      ['/data/requested_at', '2026-13-05T12:00:00Z'],
      ['/data/occurred_at', '2026-02-30T12:00:00Z'],
      ['/data/occurred_at', '2026-05-05 12:00:00Z'],
      ['/data/occurred_at', 'yesterday'],
      ['/data/occurred_at', 1778000000000],
      ['/time', '2026-05-05T12:00:00'],
      ['/time', '2026-05-05T25:00:00Z'],
    ])('when %s is %j, then it is a violation', (pointer, value) => {
      expect(violatedPointers(checkCopeEvent(withValue(DELIVERY, pointer, value)))).toEqual([
        pointer,
      ]);
    });

    it.each([
      ['/data/starts_at', '2026-05-05T12:00:00+02:00'],
      ['/data/ends_at', '2026-05-05T12:00:00.123456789Z'],
      ['/data/occurred_at', '2024-02-29T23:59:59-03:30'],
      ['/time', '2026-05-05T12:00:00Z'],
    ])('when %s is %j, then the event is valid', (pointer, value) => {
      expect(checkCopeEvent(withValue(PUBLISHED, pointer, value)).outcome).toBe('valid');
    });
  });

  describe('given version statements', () => {
    const schema = (type: string, version: string): string =>
      `https://schemas.cope.com/events/${type}/${version}`;

    it('when dataschema is v2, then the event is parked as unsupported_version', () => {
      const body = withValue(PUBLISHED, '/dataschema', schema(PUBLISHED.type, 'v2'));
      expect(checkCopeEvent(body)).toEqual({
        outcome: 'unsupported_version',
        messageType: PUBLISHED.type,
        version: '2',
      });
    });

    it('when dataschema is v2, then the payload is not judged by the v1 contract', () => {
      const v2 = withValue(PUBLISHED, '/dataschema', schema(PUBLISHED.type, 'v2'));
      const body = withValue(withoutValue(v2, '/data/capacity'), '/data/schema_version', '2.0');
      expect(checkCopeEvent(body).outcome).toBe('unsupported_version');
    });

    it('when dataschema is v2 and there is no data, then it is parked as unsupported_version', () => {
      const v2 = withValue(PUBLISHED, '/dataschema', schema(PUBLISHED.type, 'v2'));
      expect(checkCopeEvent(withoutValue(v2, '/data')).outcome).toBe('unsupported_version');
    });

    it('when dataschema is v2 but the envelope is broken, then it is a contract violation', () => {
      const v2 = withValue(PUBLISHED, '/dataschema', schema(PUBLISHED.type, 'v2'));
      expect(violatedPointers(checkCopeEvent(withoutValue(v2, '/id')))).toEqual(['/id']);
    });

    it('when schema_version is "2.0" and there is no dataschema, then unsupported_version', () => {
      const body = withValue(withoutValue(DELIVERY, '/dataschema'), '/data/schema_version', '2.0');
      expect(checkCopeEvent(body)).toEqual({
        outcome: 'unsupported_version',
        messageType: DELIVERY.type,
        version: '2.0',
      });
    });

    it('when dataschema is v1 but schema_version is "2.0", then it is a contract violation', () => {
      const check = checkCopeEvent(withValue(DELIVERY, '/data/schema_version', '2.0'));
      expect(violatedPointers(check)).toEqual(['/data/schema_version']);
    });

    it('when schema_version is a later minor "1.3", then the event is valid', () => {
      expect(checkCopeEvent(withValue(CHECK_IN, '/data/schema_version', '1.3')).outcome).toBe(
        'valid',
      );
      const noSchema = withoutValue(CHECK_IN, '/dataschema');
      expect(checkCopeEvent(withValue(noSchema, '/data/schema_version', '1.3')).outcome).toBe(
        'valid',
      );
    });

    it.each(['1', '1.0.1', 'v1', '1.x', ''])(
      'when schema_version is %j, then it is a contract violation',
      (version) => {
        const check = checkCopeEvent(withValue(CHECK_IN, '/data/schema_version', version));
        expect(violatedPointers(check)).toEqual(['/data/schema_version']);
      },
    );

    it.each([
      schema('ticketing.event.published', 'v1'),
      schema(CHECK_IN.type, 'v1/'),
      schema(CHECK_IN.type, 'V1'),
      schema(CHECK_IN.type, 'v01'),
      `http://schemas.cope.com/events/${CHECK_IN.type}/v1`,
      'urn:cope:check_in:v1',
    ])('when dataschema is %s, then it is a contract violation', (dataschema) => {
      const check = checkCopeEvent(withValue(CHECK_IN, '/dataschema', dataschema));
      expect(violatedPointers(check)).toEqual(['/dataschema']);
    });

    it('when dataschema is null, then it counts as absent (CloudEvents JSON format)', () => {
      expect(checkCopeEvent(withValue(CHECK_IN, '/dataschema', null)).outcome).toBe('valid');
    });
  });

  describe('given a subject', () => {
    it.each([
      [DELIVERY, 'event:example'],
      [PUBLISHED, 'ticket_delivery:example'],
      [CHECK_IN, 'checkin:example'],
      [CHECK_IN, 7],
    ])('when %#: the subject is %j, then it is a violation', (example, subject) => {
      const check = checkCopeEvent(withValue(example, '/subject', subject));
      expect(violatedPointers(check)).toEqual(['/subject']);
    });

    it('when the prefix is wrong, then the message names the expected prefix', () => {
      const check = checkCopeEvent(withValue(PUBLISHED, '/subject', 'show:1'));
      expect(violationsOf(check)[0]?.message).toContain('"event:"');
    });

    it('when the subject is absent or null, then the event is valid', () => {
      expect(checkCopeEvent(withoutValue(PUBLISHED, '/subject')).outcome).toBe('valid');
      expect(checkCopeEvent(withValue(PUBLISHED, '/subject', null)).outcome).toBe('valid');
    });
  });

  describe('given an undocumented type', () => {
    const order = withValue(
      withValue(withValue(DELIVERY, '/type', 'ticketing.order.created'), '/subject', 'order:1'),
      '/dataschema',
      'https://example.com/anything',
    );

    it('when its envelope is sound, then it is parked as unsupported_type', () => {
      expect(checkCopeEvent(withValue(order, '/data', { whatever: true }))).toEqual({
        outcome: 'unsupported_type',
        messageType: 'ticketing.order.created',
      });
    });

    // Types are announced before their payload schema is published: data is not judged.
    it.each([
      ['absent', undefined],
      ['null', null],
      ['a string', 'opaque'],
      ['an array', [1, 2]],
      ['a number', 0],
    ])('when its data is %s, then it is still parked as unsupported_type', (_kind, data) => {
      const body =
        data === undefined ? withoutValue(order, '/data') : withValue(order, '/data', data);
      expect(checkCopeEvent(body)).toEqual({
        outcome: 'unsupported_type',
        messageType: 'ticketing.order.created',
      });
    });

    it('when its envelope is broken, then it is a contract violation', () => {
      const check = checkCopeEvent(withValue(order, '/time', 'soon'));
      expect(check).toMatchObject({
        outcome: 'contract_violation',
        messageType: 'ticketing.order.created',
      });
      expect(violatedPointers(check)).toEqual(['/time']);
    });
  });

  describe('given something that is not a COPE envelope', () => {
    it.each([
      ['an array', [DELIVERY]],
      ['a string', 'ticketing.ticket_delivery.requested'],
      ['a number', 42],
      ['a boolean', true],
      ['null', null],
      ['an empty object', {}],
      ['an object without envelope members', { MessageType: 'TransactionChanged', Payload: {} }],
      ['an object whose only envelope member is data', { data: {} }],
      ['an Ingresse webhook (it has a data member too)', INGRESSE_TICKET_TYPE_EXAMPLE],
      ['an LTD message', LTD_EXAMPLES.EventChanged],
    ])('when the body is %s, then it is not_envelope', (_kind, body) => {
      const check = checkCopeEvent(body);
      expect(check.outcome).toBe('not_envelope');
      expect(check.outcome === 'not_envelope' && check.detail).toEqual(expect.any(String));
    });

    it('when an object holds one identifying member, then every missing member is listed', () => {
      const check = checkCopeEvent({ specversion: '1.0', data: {} });
      expect(violatedPointers(check).sort()).toEqual(['/id', '/source', '/type']);
    });
  });

  describe('given several problems at once', () => {
    it('when checked, then every violation is listed', () => {
      let body = withValue(DELIVERY, '/specversion', '0.3');
      body = withValue(body, '/subject', 'event:1');
      body = withoutValue(body, '/data/ticket_id');
      body = withValue(body, '/data/requested_at', '2026-05-05');
      body = withValue(body, '/data/attendee', null);
      expect(violatedPointers(checkCopeEvent(body)).sort()).toEqual([
        '/data/attendee',
        '/data/requested_at',
        '/data/ticket_id',
        '/specversion',
        '/subject',
      ]);
    });
  });

  describe('given hostile keys', () => {
    const json = JSON.stringify(PUBLISHED);

    it('when __proto__ is a member, then nothing is polluted and the member is kept', () => {
      const body: unknown = JSON.parse(
        json.replace('{', '{"__proto__":{"polluted":true,"capacity":1},'),
      );
      const check = checkCopeEvent(body);
      expect(check.outcome).toBe('valid');
      expect(Object.hasOwn(body as object, '__proto__')).toBe(true);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    });

    it('when __proto__ in data tries to supply a required field, then it is still missing', () => {
      const data = JSON.stringify(PUBLISHED.data).replace('"capacity":1000,', '');
      const body: unknown = JSON.parse(
        json.replace(
          JSON.stringify(PUBLISHED.data),
          `{"__proto__":{"capacity":5},${data.slice(1)}`,
        ),
      );
      expect(violatedPointers(checkCopeEvent(body))).toEqual(['/data/capacity']);
    });

    it.each(['constructor', 'prototype', 'hasOwnProperty', 'toString'])(
      'when %s is a member, then validation still runs',
      (key) => {
        const valid: unknown = JSON.parse(json.replace('{', `{"${key}":{"name":"x"},`));
        expect(checkCopeEvent(valid).outcome).toBe('valid');
        const broken: unknown = JSON.parse(
          json.replace('"capacity":1000', `"capacity":-1,"${key}":{"name":"x"}`),
        );
        expect(violatedPointers(checkCopeEvent(broken))).toEqual(['/data/capacity']);
      },
    );
    it.each([
      [DELIVERY, '/data/attendee', { constructor: 5, name: 'x' }],
      [PUBLISHED, '/data/venue', { constructor: { prototype: null } }],
      [PUBLISHED, '/data/venue', { rooms: [{ constructor: 'Hall' }] }],
      [CHECK_IN, '/extension', { __proto__: [], constructor: [] }],
    ])(
      'when %#: an untyped object at %s holds constructor members, then it is judged normally',
      (example, pointer, value) => {
        const valid = JSON.parse(JSON.stringify(withValue(example, pointer, value))) as unknown;
        expect(checkCopeEvent(valid).outcome).toBe('valid');
        const broken = withValue(valid, '/id', '');
        expect(violatedPointers(checkCopeEvent(broken))).toEqual(['/id']);
      },
    );
  });

  describe('given deep nesting', () => {
    it('when an extra field nests a million levels, then it is a violation, not a crash', () => {
      const depth = 1_000_000;
      const deep: unknown = JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);
      const check = checkCopeEvent(withValue(PUBLISHED, '/data/venue', { layout: deep }));
      const [violation] = violationsOf(check);
      expect(violation?.pointer).toMatch(/^\/data\/venue\/layout(\/0)+$/);
      expect(violation?.message).toMatch(/nested deeper than/);
    });

    it('when an extra field nests a few levels, then the event is valid', () => {
      let nested: unknown = {};
      for (let level = 0; level < 20; level += 1) nested = { nested };
      expect(checkCopeEvent(withValue(PUBLISHED, '/data/venue', nested)).outcome).toBe('valid');
    });
  });
});
