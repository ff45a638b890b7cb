import {
  violatedPointers,
  violationsOf,
  withValue,
  withoutValue,
} from '../../validation/payload-check.fixtures.js';
import { checkIngresseWebhook } from './ingresse-webhook.check.js';
import {
  INGRESSE_EXAMPLES,
  INGRESSE_TICKET_GROUP_EXAMPLE,
  INGRESSE_TICKET_TYPE_EXAMPLE,
} from './ingresse.fixtures.js';
import { COPE_EXAMPLES } from '../cope/cope.fixtures.js';
import { LTD_EXAMPLES } from '../ltd/ltd.fixtures.js';

const TICKET = INGRESSE_TICKET_TYPE_EXAMPLE;
const GROUP = INGRESSE_TICKET_GROUP_EXAMPLE;

describe('checkIngresseWebhook', () => {
  describe('given the seed examples', () => {
    it.each(INGRESSE_EXAMPLES.map((example) => [example.data.type, example] as const))(
      'when the %s example is checked, then it is valid and the message is the body itself',
      (_type, example) => {
        const body = structuredClone(example);
        const check = checkIngresseWebhook(body);
        expect(check).toEqual({ outcome: 'valid', messageType: 'ticket', message: body });
        expect(check.outcome === 'valid' && check.message).toBe(body);
      },
    );
  });

  describe('given a required field missing', () => {
    it.each([
      '/webhook',
      '/data',
      '/timestamp',
      '/data/id',
      '/data/eventId',
      '/data/type',
      '/data/quantity',
    ])('when %s is absent, then the violation points at it', (pointer) => {
      const field = pointer.split('/').pop() ?? '';
      expect(violationsOf(checkIngresseWebhook(withoutValue(TICKET, pointer)))).toEqual([
        { pointer, message: `${field} is required` },
      ]);
    });

    it('when a child ticket type lacks its id, then the violation points into children', () => {
      const check = checkIngresseWebhook(withoutValue(GROUP, '/data/children/1/id'));
      expect(violatedPointers(check)).toEqual(['/data/children/1/id']);
    });
  });

  describe('given a field of the wrong type', () => {
    it.each([
      [TICKET, '/webhook', 1],
      [TICKET, '/data', 'ticket'],
      [TICKET, '/data/id', '408218'],
      [TICKET, '/data/id', 408218.5],
      [TICKET, '/data/eventId', null],
      [TICKET, '/data/type', 1],
      [TICKET, '/data/quantity', '100'],
      [TICKET, '/data/name', 5],
      [TICKET, '/data/description', false],
      [TICKET, '/data/attributes', 'none'],
      [TICKET, '/data/parent', '346868'],
      [TICKET, '/data/children', {}],
      [TICKET, '/data/children', [408218]],
      [GROUP, '/data/children/0/id', 'x'],
    ])('when %#: %s is %j, then it is a violation at that pointer', (example, pointer, value) => {
      expect(violatedPointers(checkIngresseWebhook(withValue(example, pointer, value)))).toEqual([
        pointer,
      ]);
    });

    it.each([
      ['/data/attributes', []],
      ['/data/attributes', { maximum: 0 }],
      ['/data/attributes', null],
      ['/data/description', null],
      ['/data/parent', null],
      ['/data/children', null],
      ['/data/quantity', -5],
      ['/data/children', [{ id: 1, anything: [] }]],
    ])('when %s is %j, then the webhook is valid', (pointer, value) => {
      expect(checkIngresseWebhook(withValue(TICKET, pointer, value)).outcome).toBe('valid');
    });
  });

  describe('given a timestamp', () => {
    it.each([
      '2018-04-02T13:57:04.770619',
      '2018-04-02T13:57:04',
      '2018-04-02T13:57:04Z',
      '2018-04-02T13:57:04.770619-03:00',
    ])('when it is %j, then the webhook is valid', (timestamp) => {
      expect(checkIngresseWebhook(withValue(TICKET, '/timestamp', timestamp)).outcome).toBe(
        'valid',
      );
    });

    it.each(['2018-13-02T13:57:04', '2018-04-31T13:57:04', '2018-04-02', 'now', 1522677424])(
      'when it is %j, then it is a violation',
      (timestamp) => {
        const check = checkIngresseWebhook(withValue(TICKET, '/timestamp', timestamp));
        expect(violatedPointers(check)).toEqual(['/timestamp']);
      },
    );
  });

  describe('given another webhook', () => {
    it('when its envelope is sound, then it is parked as unsupported_type', () => {
      expect(checkIngresseWebhook(withValue(TICKET, '/webhook', 'transaction'))).toEqual({
        outcome: 'unsupported_type',
        messageType: 'transaction',
      });
    });

    it('when its envelope is broken, then it is a contract violation', () => {
      const body = withValue(withValue(TICKET, '/webhook', 'transaction'), '/timestamp', 'x');
      expect(checkIngresseWebhook(body)).toMatchObject({
        outcome: 'contract_violation',
        messageType: 'transaction',
      });
    });
  });

  describe('given something that is not an Ingresse envelope', () => {
    it.each([
      ['an array', []],
      ['a string', 'ticket'],
      ['null', null],
      ['an object without envelope members', { id: 408218, eventId: 24724 }],
      ['an object whose only envelope member is data', { data: { id: 408218 } }],
      ['a COPE CloudEvent (it has a data member too)', COPE_EXAMPLES['ticketing.event.published']],
      ['an LTD message', LTD_EXAMPLES.EventChanged],
    ])('when the body is %s, then it is not_envelope', (_kind, body) => {
      expect(checkIngresseWebhook(body).outcome).toBe('not_envelope');
    });

    it('when only timestamp is there, then the other members are reported', () => {
      const check = checkIngresseWebhook({ timestamp: '2018-04-02T13:57:04.770619' });
      expect(check).toMatchObject({ outcome: 'contract_violation', messageType: undefined });
      expect(violatedPointers(check).sort()).toEqual(['/data', '/webhook']);
    });
  });

  describe('given hostile keys', () => {
    it('when data holds __proto__, then nothing is polluted and the body is unchanged', () => {
      const json = JSON.stringify(TICKET).replace(
        '"data":{',
        '"data":{"__proto__":{"isAdmin":true},',
      );
      const body: unknown = JSON.parse(json);
      expect(checkIngresseWebhook(body).outcome).toBe('valid');
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
      expect(JSON.stringify(body)).toBe(json);
    });

    it('when untyped members hold constructor keys, then the webhook is still judged', () => {
      const json = JSON.stringify(GROUP)
        .replace('"attributes":{', '"attributes":{"constructor":1,')
        .replace('"children":[{', '"children":[{"constructor":[],');
      expect(checkIngresseWebhook(JSON.parse(json)).outcome).toBe('valid');
      const broken: unknown = JSON.parse(json.replace('"quantity":1000,', ''));
      expect(violatedPointers(checkIngresseWebhook(broken))).toEqual(['/data/quantity']);
    });
  });
});
