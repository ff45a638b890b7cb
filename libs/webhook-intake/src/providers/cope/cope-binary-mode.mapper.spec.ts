import { checkCopeEvent } from './cope-event.check.js';
import {
  copeEventFromBinaryMode,
  decodeCloudEventsHeaderValue,
} from './cope-binary-mode.mapper.js';
import { COPE_CHECK_IN_CREATED_EXAMPLE } from './cope.fixtures.js';

describe('copeEventFromBinaryMode', () => {
  const {
    data,
    datacontenttype: _contentType,
    ...attributes
  } = structuredClone(COPE_CHECK_IN_CREATED_EXAMPLE);
  const headers = {
    ...Object.fromEntries(Object.entries(attributes).map(([name, value]) => [`ce-${name}`, value])),
    'content-type': 'application/json',
    'user-agent': 'cope-webhooks/1.0',
    authorization: 'Bearer secret',
  };

  describe('given the attributes of a seed example as ce-* headers', () => {
    it('when converted, then the structured event is rebuilt and is valid', () => {
      const event = copeEventFromBinaryMode(headers, data);
      expect(event).toEqual(structuredClone(COPE_CHECK_IN_CREATED_EXAMPLE));
      expect(event.data).toBe(data);
      expect(checkCopeEvent(event).outcome).toBe('valid');
    });

    it('when converted, then headers other than ce-* and content-type are left out', () => {
      const event = copeEventFromBinaryMode(headers, data);
      expect(Object.keys(event)).not.toContain('authorization');
      expect(Object.keys(event)).not.toContain('user-agent');
    });
  });

  describe('given header names in mixed case', () => {
    it('when converted, then attribute names are lower-case', () => {
      const event = copeEventFromBinaryMode({ 'CE-SpecVersion': '1.0', 'Content-Type': 'x' }, {});
      expect(event).toEqual({ specversion: '1.0', datacontenttype: 'x', data: {} });
    });
  });

  describe('given encoded header values', () => {
    it.each([
      ['Euro%20%E2%82%AC%20%F0%9F%98%80', 'Euro € 😀'],
      ['"quoted \\"value\\""', 'quoted "value"'],
      ['%c3%a9', 'é'],
      ['100%', '100%'],
      ['%C0%A0', '%C0%A0'],
      ['plain', 'plain'],
    ])('when a value is %j, then the attribute is %j', (raw, decoded) => {
      expect(decodeCloudEventsHeaderValue(raw)).toBe(decoded);
      expect(copeEventFromBinaryMode({ 'ce-subject': raw }, undefined)).toEqual({
        subject: decoded,
      });
    });
  });

  describe('given repeated headers', () => {
    it('when a value is an array, then its items are joined as HTTP does', () => {
      expect(copeEventFromBinaryMode({ 'ce-tags': ['a', 'b'] }, undefined)).toEqual({
        tags: 'a, b',
      });
    });
  });

  describe('given hostile header names', () => {
    it('when a header is ce-__proto__, then it becomes a plain member', () => {
      const event = copeEventFromBinaryMode({ 'ce-__proto__': 'x', 'ce-data': 'y' }, { a: 1 });
      expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(event, '__proto__')?.value).toBe('x');
      expect(event.data).toEqual({ a: 1 });
    });
  });

  describe('given no body', () => {
    it('when converted, then there is no data attribute and the check reports it', () => {
      const event = copeEventFromBinaryMode(headers, undefined);
      expect(Object.hasOwn(event, 'data')).toBe(false);
      expect(checkCopeEvent(event)).toMatchObject({
        outcome: 'contract_violation',
        errors: [{ pointer: '/data', message: 'data is required' }],
      });
    });
  });
});
