import { createHash } from 'node:crypto';

import fc from 'fast-check';
import {
  CanonicalJsonError,
  canonicalJson,
  canonicalJsonByWalk,
  canonicalJsonSha256,
} from './canonical-json.js';

/** The IEEE 754 double whose bits are `hex`, as RFC 8785 Appendix B lists its inputs. */
function doubleFromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

describe('canonicalJson', () => {
  describe('numbers (RFC 8785 Appendix B)', () => {
    it.each([
      ['0000000000000000', '0'],
      ['8000000000000000', '0'],
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'],
      ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'],
      ['444b1ae4d6e2ef4f', '999999999999999900000'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'],
      ['41b3de4355555555', '333333333.3333333'],
      ['41b3de4355555556', '333333333.3333334'],
      ['41b3de4355555557', '333333333.33333343'],
      ['becbf647612f3696', '-0.0000033333333333333333'],
      ['43143ff3c1cb0959', '1424953923781206.2'],
    ])('given the double with bits %s, when canonicalised, then it is %s', (bits, expected) => {
      expect(canonicalJson(doubleFromBits(bits))).toBe(expected);
    });

    it.each([
      [1e21, '1e+21'],
      [0.000001, '0.000001'],
      [1e-7, '1e-7'],
      [-0, '0'],
      [10.0, '10'],
      [4.5, '4.5'],
      [2e-3, '0.002'],
    ])('given the number %p, when canonicalised, then it is %s', (value, expected) => {
      expect(canonicalJson(value)).toBe(expected);
    });

    it.each([
      ['NaN', Number.NaN],
      ['Infinity', Number.POSITIVE_INFINITY],
      ['-Infinity', Number.NEGATIVE_INFINITY],
    ])('given %s, when canonicalised, then it is rejected', (_name, value) => {
      expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
    });

    it('given a non-finite number deep inside, when canonicalised, then the error points at it', () => {
      const error = captureError(() => canonicalJson({ a: [1, { 'b/c': Number.NaN }] }));

      expect(error).toBeInstanceOf(CanonicalJsonError);
      expect((error as CanonicalJsonError).pointer).toBe('/a/1/b~1c');
    });
  });

  describe('strings', () => {
    it('given the RFC 8785 section 3.2.2 example, when canonicalised, then it matches the RFC output', () => {
      const input =
        '{\n  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n' +
        '  "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",\n' +
        '  "literals": [null, true, false]\n}';

      expect(canonicalJson(JSON.parse(input))).toBe(
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
          '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
      );
    });

    it('given control characters, quotes and backslashes, when canonicalised, then they are escaped as JCS requires', () => {
      expect(canonicalJson('\u0000\u0008\t\n\u000b\f\r\u001f"\\/\u007f\u0080\u2028')).toBe(
        '"\\u0000\\b\\t\\n\\u000b\\f\\r\\u001f\\"\\\\/\u007f\u0080\u2028"',
      );
    });

    it('given a lone surrogate, when canonicalised, then it is escaped so the output is valid UTF-16', () => {
      expect(canonicalJson('a\ud800b')).toBe('"a\\ud800b"');
    });
  });

  describe('object member order', () => {
    it('given the RFC 8785 section 3.2.3 example, when canonicalised, then members are sorted by UTF-16 code units', () => {
      const input =
        '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh",' +
        ' "1": "One", "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control",' +
        ' "\\u00f6": "Latin Small Letter O With Diaeresis"}';

      expect(canonicalJson(JSON.parse(input))).toBe(
        '{"\\r":"Carriage Return","1":"One","\u0080":"Control",' +
          '"\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign",' +
          '"\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
      );
    });

    it('given integer-like keys, when canonicalised, then they sort as strings, not as numbers', () => {
      expect(canonicalJson({ 9: 'nine', 10: 'ten', 1: 'one', a: 'a', B: 'B' })).toBe(
        '{"1":"one","10":"ten","9":"nine","B":"B","a":"a"}',
      );
    });

    it('given an emoji key and a key above it in the BMP, when canonicalised, then the surrogate pair sorts first', () => {
      // By code point U+1F600 > U+FB33, by UTF-16 code unit 0xD83D < 0xFB33: JCS uses the latter.
      expect(canonicalJson({ '\ufb33': 1, '\ud83d\ude00': 2 })).toBe(
        '{"\ud83d\ude00":2,"\ufb33":1}',
      );
    });

    it('given a key that is a prefix of another, when canonicalised, then the shorter key comes first', () => {
      expect(canonicalJson({ ab: 2, a: 1, '': 0 })).toBe('{"":0,"a":1,"ab":2}');
    });
  });

  describe('structure', () => {
    it.each([
      [null, 'null'],
      [true, 'true'],
      [false, 'false'],
      ['', '""'],
      [[], '[]'],
      [{}, '{}'],
    ])(
      'given the scalar or empty value %p, when canonicalised, then it is %s',
      (value, expected) => {
        expect(canonicalJson(value)).toBe(expected);
      },
    );

    it('given nested arrays and objects, when canonicalised, then array order is kept and every object is sorted', () => {
      const value = {
        z: [[3, [2, [1, []]]], { y: [{}, { b: 2, a: 1 }], x: null }],
        a: { d: { c: { b: { a: [true, false] } } } },
      };

      expect(canonicalJson(value)).toBe(
        '{"a":{"d":{"c":{"b":{"a":[true,false]}}}},' +
          '"z":[[3,[2,[1,[]]]],{"x":null,"y":[{},{"a":1,"b":2}]}]}',
      );
    });

    it('given an object with a null prototype, when canonicalised, then it is treated as a plain object', () => {
      const value = Object.assign(Object.create(null) as Record<string, unknown>, { b: 1, a: 2 });

      expect(canonicalJson(value)).toBe('{"a":2,"b":1}');
    });

    it('given nesting deeper than the call stack, when canonicalised, then it still succeeds', () => {
      const depth = 100_000;
      const text = '['.repeat(depth) + '{"b":[],"a":{}}' + ']'.repeat(depth);

      expect(canonicalJson(JSON.parse(text))).toBe(
        '['.repeat(depth) + '{"a":{},"b":[]}' + ']'.repeat(depth),
      );
    });

    it.each([
      ['undefined at the root', undefined, ''],
      ['undefined as a member', { a: undefined }, '/a'],
      ['a sparse array hole', Object.assign(new Array<unknown>(3), { 0: 1, 2: 3 }), '/1'],
      ['a function', { f: () => 1 }, '/f'],
      ['a symbol', [Symbol('s')], '/0'],
      ['a bigint', { n: 1n }, '/n'],
      ['a Date', { at: new Date(0) }, '/at'],
      ['a Map', new Map([['a', 1]]), ''],
    ])('given %s, when canonicalised, then it is rejected at its pointer', (_name, value, at) => {
      const error = captureError(() => canonicalJson(value));

      expect(error).toBeInstanceOf(CanonicalJsonError);
      expect((error as CanonicalJsonError).pointer).toBe(at);
    });
  });

  describe('agreement with JSON.parse output', () => {
    it('given a provider body, when canonicalised and parsed back, then the data is unchanged', () => {
      const body = {
        MessageType: 'TransactionChanged',
        Timestamp: '2024-05-01T10:00:00.1234567',
        Payload: { BookingReference: 'AB12', Orders: [{ PerformanceId: 7, Tickets: [] }] },
      };

      expect(JSON.parse(canonicalJson(body))).toEqual(body);
    });
  });
});

describe('canonicalJsonSha256', () => {
  it('given a value, when hashed, then it is the hex SHA-256 of the UTF-8 canonical form', () => {
    const value = { '\u20ac': 'é', a: [1, 2.5] };

    expect(canonicalJsonSha256(value)).toBe(
      createHash('sha256').update(Buffer.from('{"a":[1,2.5],"€":"é"}', 'utf8')).digest('hex'),
    );
    expect(canonicalJsonSha256(value)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('given the same JSON re-serialised with other key order and whitespace, when hashed, then the hashes are equal', () => {
    const compact =
      '{"webhook":"ticket","data":{"id":12,"eventId":34,"type":"Inteira","quantity":1.0,' +
      '"attributes":[],"description":null},"timestamp":"2024-05-01 10:00:00"}';
    const reordered = `{
      "timestamp" : "2024-05-01 10:00:00",
      "data" : {
        "description" : null, "attributes" : [ ],
        "quantity" : 1, "type" : "Inteira", "eventId" : 34, "id" : 12
      },
      "webhook" : "ticket"
    }`;

    expect(canonicalJsonSha256(JSON.parse(reordered))).toBe(
      canonicalJsonSha256(JSON.parse(compact)),
    );
  });

  it('given JSON whose strings use different escapes for the same characters, when hashed, then the hashes are equal', () => {
    expect(canonicalJsonSha256(JSON.parse('{"a":"\\u00e9\\/"}'))).toBe(
      canonicalJsonSha256(JSON.parse('{"a":"é/"}')),
    );
  });

  it('given bodies that differ only in array order, when hashed, then the hashes differ', () => {
    expect(canonicalJsonSha256({ a: [1, 2] })).not.toBe(canonicalJsonSha256({ a: [2, 1] }));
  });

  it('given bodies that differ only in a string versus a number, when hashed, then the hashes differ', () => {
    expect(canonicalJsonSha256({ a: 1 })).not.toBe(canonicalJsonSha256({ a: '1' }));
  });
});

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

describe('canonicalJson’s recursive path against the explicit walk (the reference form)', () => {
  /** JSON values, with names objects order specially (array indices, `__proto__`). */
  const json = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constant(null),
      fc.boolean(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      fc.string({ unit: 'binary' }),
      fc.array(tie('value')),
      fc.dictionary(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.constantFrom('__proto__', '0', '1', '10', '9', '-1', '01', 'a', 'B', 'é', '😀'),
        ),
        tie('value'),
      ),
    ),
  })).value;

  it('gives the same text for any JSON value', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(canonicalJson(value)).toBe(canonicalJsonByWalk(value));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the same text for values as JSON.parse makes them, own __proto__ members included', () => {
    fc.assert(
      fc.property(json, (value) => {
        const parsed: unknown = JSON.parse(JSON.stringify(value));
        expect(canonicalJson(parsed)).toBe(canonicalJsonByWalk(parsed));
      }),
      { numRuns: 1000 },
    );
    const withProto: unknown = JSON.parse('{"z":1,"__proto__":{"b":[2,{"y":1,"x":0}]},"a":3}');
    expect(canonicalJson(withProto)).toBe('{"__proto__":{"b":[2,{"x":0,"y":1}]},"a":3,"z":1}');
  });
});
