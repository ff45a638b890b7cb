import {
  violatedPointers,
  violationsOf,
  withValue,
  withoutValue,
} from '../../validation/payload-check.fixtures.js';
import { checkLtdMessage } from './ltd-message.check.js';
import {
  LTD_AFFILIATE_OPT_IN_EXAMPLE,
  LTD_EVENT_CHANGED_EXAMPLE,
  LTD_EXAMPLES,
  LTD_PERFORMANCE_CHANGED_EXAMPLE,
  LTD_SCHEDULED_ETICKET_DELIVERY_EXAMPLE,
  LTD_TRANSACTION_CHANGED_EXAMPLE,
  LTD_TRANSACTION_CHANGED_SEED_TEXT,
} from './ltd.fixtures.js';
import { INGRESSE_TICKET_TYPE_EXAMPLE } from '../ingresse/ingresse.fixtures.js';

const TRANSACTION = LTD_TRANSACTION_CHANGED_EXAMPLE;
const ETICKETS = LTD_SCHEDULED_ETICKET_DELIVERY_EXAMPLE;
const PERFORMANCE = LTD_PERFORMANCE_CHANGED_EXAMPLE;
const EVENT = LTD_EVENT_CHANGED_EXAMPLE;
const OPT_IN = LTD_AFFILIATE_OPT_IN_EXAMPLE;

describe('checkLtdMessage', () => {
  describe('given the seed examples', () => {
    it.each(Object.entries(LTD_EXAMPLES))(
      'when %s is checked, then it is valid and the message is the body itself',
      (type, example) => {
        const body = structuredClone(example);
        const check = checkLtdMessage(body);
        expect(check).toEqual({ outcome: 'valid', messageType: type, message: body });
        expect(check.outcome === 'valid' && check.message).toBe(body);
      },
    );

    it('when the seed TransactionChanged text is parsed as published, then it is not JSON', () => {
      // The seed misses a quote after EventImageUrl: a 400 at the HTTP layer, not ours.
      expect(() => JSON.parse(LTD_TRANSACTION_CHANGED_SEED_TEXT) as unknown).toThrow(SyntaxError);
    });

    it('when checked, then local date-times and seven-digit fractions are kept verbatim', () => {
      const body = structuredClone(TRANSACTION);
      const check = checkLtdMessage(body);
      expect(check.outcome).toBe('valid');
      expect(body.Timestamp).toBe('2024-03-05T08:26:11.1451352Z');
      expect(body.Payload.PurchaseDateTime).toBe('2023-11-09T09:47:59.623');
      expect(body.Payload.Orders[0]?.PerformanceDateTime).toBe('2024-03-17T13:00:00');
    });
  });

  describe('given a valid message', () => {
    it('when narrowed on MessageType, then its payload is typed for that type', () => {
      const check = checkLtdMessage(structuredClone(TRANSACTION));
      if (check.outcome !== 'valid') throw new Error(check.outcome);
      const message = check.message;
      const barcodes =
        message.MessageType === 'TransactionChanged'
          ? message.Payload.Orders.flatMap((order) => order.Tickets.map((ticket) => ticket.Barcode))
          : [];
      expect(barcodes).toEqual(['23017425', '23017426']);
    });
  });

  describe('given fields beyond the contract', () => {
    it('when checked, then the message is valid and keeps them', () => {
      const body = withValue(
        withValue(TRANSACTION, '/Payload/Orders/0/Tickets/0/Row', 'E'),
        '/AffiliateId',
        'b3c6',
      );
      const check = checkLtdMessage(body);
      expect(check.outcome === 'valid' && check.message).toBe(body);
      expect(body).toMatchObject({ AffiliateId: 'b3c6' });
    });
  });

  describe('given a required field missing', () => {
    it.each([
      [TRANSACTION, '/MessageType'],
      [TRANSACTION, '/Payload'],
      [TRANSACTION, '/Timestamp'],
      [TRANSACTION, '/Payload/BookingReference'],
      [TRANSACTION, '/Payload/Orders'],
      [TRANSACTION, '/Payload/Orders/0/PerformanceId'],
      [TRANSACTION, '/Payload/Orders/0/Tickets'],
      [TRANSACTION, '/Payload/Orders/0/Tickets/1/Barcode'],
      [TRANSACTION, '/Payload/Orders/0/Tickets/1/Status'],
      [ETICKETS, '/Payload/BookingReference'],
      [ETICKETS, '/Payload/Tickets'],
      [ETICKETS, '/Payload/Tickets/2/Barcode'],
      [PERFORMANCE, '/Payload/PerformanceId'],
      [PERFORMANCE, '/Payload/EventId'],
      [PERFORMANCE, '/Payload/TotalSeatsCount'],
      [PERFORMANCE, '/Payload/TotalAvailableTicketsCount'],
      [EVENT, '/Payload/EventId'],
      [OPT_IN, '/Payload/OptInText'],
      [OPT_IN, '/Payload/IsOptedIn'],
      [OPT_IN, '/Payload/Customer'],
      [OPT_IN, '/Payload/Customer/Email'],
    ])('when %#: %s is absent, then the violation points at it', (example, pointer) => {
      const field = pointer.split('/').pop() ?? '';
      expect(violationsOf(checkLtdMessage(withoutValue(example, pointer)))).toEqual([
        { pointer, message: `${field} is required` },
      ]);
    });
  });

  describe('given a field of the wrong type', () => {
    it.each([
      [TRANSACTION, '/MessageType', 7],
      [TRANSACTION, '/MessageType', ''],
      [TRANSACTION, '/Payload', 'x'],
      [TRANSACTION, '/Payload', []],
      [TRANSACTION, '/Payload/BookingReference', 46133],
      [TRANSACTION, '/Payload/BookingReference', ''],
      [TRANSACTION, '/Payload/Orders', {}],
      [TRANSACTION, '/Payload/Orders', [1]],
      [TRANSACTION, '/Payload/Orders', [[]]],
      [TRANSACTION, '/Payload/Orders/0/PerformanceId', '661132'],
      [TRANSACTION, '/Payload/Orders/0/PerformanceId', 661132.5],
      [TRANSACTION, '/Payload/Orders/0/EventId', '3868'],
      [TRANSACTION, '/Payload/Orders/0/OrderStatus', 0],
      [TRANSACTION, '/Payload/Orders/0/PerformanceDateTime', 20240317],
      [TRANSACTION, '/Payload/Orders/0/Tickets', null],
      [TRANSACTION, '/Payload/Orders/0/Tickets/0/Barcode', 23017425],
      [TRANSACTION, '/Payload/Orders/0/Tickets/0/Status', true],
      [TRANSACTION, '/Payload/Orders/0/Tickets/0/SeatInfo', 15],
      [TRANSACTION, '/Payload/Orders/0/Tickets/0/AreaName', {}],
      [TRANSACTION, '/Payload/Orders/0/Tickets/0/Price', '84'],
      [TRANSACTION, '/Payload/Orders/0/Tickets/0/TicketName2', true],
      [TRANSACTION, '/Payload/DeliveryType', 3],
      [TRANSACTION, '/Payload/Customer', 'Morgan Better'],
      [TRANSACTION, '/Payload/PurchaseDateTime', false],
      [ETICKETS, '/Payload/Tickets', 'ABC'],
      [ETICKETS, '/Payload/Tickets/0/Barcode', null],
      [ETICKETS, '/Payload/Tickets/0/TicketName1', ['N']],
      [PERFORMANCE, '/Payload/PerformanceId', null],
      [PERFORMANCE, '/Payload/EventId', 2 ** 60],
      [PERFORMANCE, '/Payload/TotalSeatsCount', -1],
      [PERFORMANCE, '/Payload/TotalAvailableTicketsCount', 899.5],
      [PERFORMANCE, '/Payload/IsDisabled', 'false'],
      [PERFORMANCE, '/Payload/HasOffer', 0],
      [PERFORMANCE, '/Payload/PerformanceDateTime', 1],
      [PERFORMANCE, '/Payload/Tickets', {}],
      [EVENT, '/Payload/EventId', '1234'],
      [OPT_IN, '/Payload/OptInText', 1],
      [OPT_IN, '/Payload/IsOptedIn', 'true'],
      [OPT_IN, '/Payload/Customer', 'john@example.com'],
      [OPT_IN, '/Payload/Customer/Email', 5],
      [OPT_IN, '/Payload/Booking', 'XYZ12345'],
      [OPT_IN, '/Payload/Booking/BookingReference', 12345],
    ])('when %#: %s is %j, then it is a violation at that pointer', (example, pointer, value) => {
      expect(violatedPointers(checkLtdMessage(withValue(example, pointer, value)))).toEqual([
        pointer,
      ]);
    });

    it('when an order is not an object, then the message names its index', () => {
      const check = checkLtdMessage(withValue(TRANSACTION, '/Payload/Orders', [{}, 'x']));
      expect(violationsOf(check)).toEqual([
        { pointer: '/Payload/Orders', message: 'Orders must hold objects only (not at index 1)' },
      ]);
    });

    it.each([
      [TRANSACTION, '/Payload/Orders/0/Tickets/0/TicketName1', 'N'],
      [TRANSACTION, '/Payload/Orders/0/Tickets/0/TicketName2', 40],
      [TRANSACTION, '/Payload/Orders/0/Tickets/0/Price', 10.0],
      [TRANSACTION, '/Payload/DeliveryType', null],
      [TRANSACTION, '/Payload/Orders/0/Tickets/0/Status', 'Reserved'],
      [PERFORMANCE, '/Payload/IsDisabled', true],
      [PERFORMANCE, '/Payload/TotalAvailableTicketsCount', 0],
      [OPT_IN, '/Payload/Booking', null],
      [OPT_IN, '/Payload/Booking/BookingReference', null],
      [OPT_IN, '/Payload/Customer/Email', 'not an address'],
    ])('when %#: %s is %j, then the message is valid', (example, pointer, value) => {
      expect(checkLtdMessage(withValue(example, pointer, value)).outcome).toBe('valid');
    });

    it('when the optional Booking is absent, then the opt-in is valid', () => {
      expect(checkLtdMessage(withoutValue(OPT_IN, '/Payload/Booking')).outcome).toBe('valid');
    });
  });

  describe('given a Timestamp', () => {
    it.each([
      '2024-03-05T08:26:11.1451352',
      '2024-13-05T08:26:11Z',
      '2024-02-30T08:26:11Z',
      '2024-03-05',
      'Tuesday',
      '',
    ])('when it is %j, then it is a violation', (timestamp) => {
      expect(violatedPointers(checkLtdMessage(withValue(EVENT, '/Timestamp', timestamp)))).toEqual([
        '/Timestamp',
      ]);
    });

    it.each(['2024-05-14T08:26:11Z', '2024-05-14T09:26:11.1+01:00'])(
      'when it is %j, then the message is valid',
      (timestamp) => {
        expect(checkLtdMessage(withValue(EVENT, '/Timestamp', timestamp)).outcome).toBe('valid');
      },
    );
  });

  describe('given an undocumented MessageType', () => {
    const refund = withValue(EVENT, '/MessageType', 'RefundIssued');

    it('when the envelope is sound, then it is parked as unsupported_type', () => {
      expect(checkLtdMessage(withValue(refund, '/Payload', {}))).toEqual({
        outcome: 'unsupported_type',
        messageType: 'RefundIssued',
      });
    });

    it('when the envelope is broken, then it is a contract violation', () => {
      const check = checkLtdMessage(withValue(refund, '/Payload', null));
      expect(check).toMatchObject({ outcome: 'contract_violation', messageType: 'RefundIssued' });
      expect(violatedPointers(check)).toEqual(['/Payload']);
    });
  });

  describe('given something that is not an LTD envelope', () => {
    it.each([
      ['an array', [EVENT]],
      ['a string', 'EventChanged'],
      ['a number', 0],
      ['null', null],
      ['an empty object', {}],
      ['a COPE event', { specversion: '1.0', type: 'x', data: {} }],
      ['an Ingresse webhook', INGRESSE_TICKET_TYPE_EXAMPLE],
    ])('when the body is %s, then it is not_envelope', (_kind, body) => {
      expect(checkLtdMessage(body).outcome).toBe('not_envelope');
    });

    it('when only Timestamp is there, then the other members are reported', () => {
      const check = checkLtdMessage({ Timestamp: '2024-05-14T08:26:11Z' });
      expect(check).toMatchObject({ outcome: 'contract_violation', messageType: undefined });
      expect(violatedPointers(check).sort()).toEqual(['/MessageType', '/Payload']);
    });
  });

  describe('given several problems at once', () => {
    it('when checked, then every violation is listed with its pointer', () => {
      let body = withValue(TRANSACTION, '/Timestamp', '2024-03-05T08:26:11');
      body = withoutValue(body, '/Payload/Orders/0/Tickets/1/Barcode');
      body = withValue(body, '/Payload/Orders/0/Tickets/0/Status', 1);
      body = withValue(body, '/Payload/BookingReference', null);
      expect(violatedPointers(checkLtdMessage(body)).sort()).toEqual([
        '/Payload/BookingReference',
        '/Payload/Orders/0/Tickets/0/Status',
        '/Payload/Orders/0/Tickets/1/Barcode',
        '/Timestamp',
      ]);
    });
  });

  describe('given hostile keys', () => {
    it('when Payload holds __proto__ and constructor, then nothing is polluted or skipped', () => {
      const json = JSON.stringify(PERFORMANCE).replace(
        '"Payload":{',
        '"Payload":{"__proto__":{"TotalSeatsCount":1},"constructor":{"prototype":{"x":1}},',
      );
      const valid: unknown = JSON.parse(json);
      expect(checkLtdMessage(valid).outcome).toBe('valid');
      expect(({} as Record<string, unknown>).TotalSeatsCount).toBeUndefined();
      const broken: unknown = JSON.parse(json.replace('"TotalSeatsCount":1000,', ''));
      expect(violatedPointers(checkLtdMessage(broken))).toEqual(['/Payload/TotalSeatsCount']);
    });

    it('when Customer holds a constructor member, then the booking is still judged', () => {
      const json = JSON.stringify(TRANSACTION).replace(
        '"Customer":{',
        '"Customer":{"constructor":"x",',
      );
      expect(checkLtdMessage(JSON.parse(json)).outcome).toBe('valid');
      const broken: unknown = JSON.parse(json.replace('"Status":"Purchased"', '"Status":1'));
      expect(violatedPointers(checkLtdMessage(broken))).toEqual([
        '/Payload/Orders/0/Tickets/0/Status',
      ]);
    });
  });
});
