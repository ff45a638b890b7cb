import { IsString } from 'class-validator';

import { escapePointerToken, jsonPointer } from './contract-violation.js';
import { MAX_NESTING_DEPTH, validateContract } from './contract.validator.js';
import { IsJsonType } from './is-json-type.decorator.js';
import { IsRequired } from './is-required.decorator.js';
import { NestedArray } from './nested-array.decorator.js';
import { NestedObject } from './nested-object.decorator.js';

class LeafDto {
  @IsRequired()
  @IsString()
  'a/b~c'!: string;
}

class RootDto {
  @IsRequired()
  @NestedObject(() => LeafDto)
  leaf!: LeafDto;

  @IsRequired()
  @NestedArray(() => LeafDto)
  leaves!: LeafDto[];

  @IsRequired()
  @IsJsonType(['string', 'integer'])
  either!: string | number;
}

describe('validateContract', () => {
  describe('given property names with / and ~', () => {
    it('when the pointer is built, then tokens are escaped per RFC 6901', () => {
      expect(escapePointerToken('a/b~c')).toBe('a~1b~0c');
      expect(jsonPointer(['Payload', 'Orders', 0, '~/'])).toBe('/Payload/Orders/0/~0~1');
    });

    it('when a nested value fails, then its pointer is escaped', () => {
      const violations = validateContract(RootDto, {
        leaf: {},
        leaves: [{ 'a/b~c': 'ok' }, { 'a/b~c': 1 }],
        either: 'x',
      });
      expect(violations).toEqual([
        { pointer: '/leaf/a~1b~0c', message: 'a/b~c is required' },
        { pointer: '/leaves/1/a~1b~0c', message: 'a/b~c must be a string' },
      ]);
    });
  });

  describe('given values of several JSON types', () => {
    it.each([
      ['x', true],
      [3, true],
      [3.5, false],
      [true, false],
      [[], false],
    ])('when either is %j, then validity is %s', (either, valid) => {
      const violations = validateContract(RootDto, { leaf: { 'a/b~c': 'x' }, leaves: [], either });
      expect(violations).toEqual(
        valid ? [] : [{ pointer: '/either', message: 'either must be a string or an integer' }],
      );
    });
  });

  describe('given nesting at and beyond the limit', () => {
    const nest = (levels: number): unknown => {
      let value: unknown = {};
      for (let level = 0; level < levels; level += 1) value = { n: value };
      return value;
    };

    it('when an extra member nests up to the limit, then it is not a violation', () => {
      const body = {
        leaf: { 'a/b~c': 'x' },
        leaves: [],
        either: 1,
        extra: nest(MAX_NESTING_DEPTH - 2),
      };
      expect(validateContract(RootDto, body)).toEqual([]);
    });

    it('when it nests past the limit, then the violation points at the first value too deep', () => {
      const body = {
        leaf: { 'a/b~c': 'x' },
        leaves: [],
        either: 1,
        extra: nest(MAX_NESTING_DEPTH),
      };
      const [violation] = validateContract(RootDto, body);
      expect(violation?.pointer).toBe(`/extra${'/n'.repeat(MAX_NESTING_DEPTH - 1)}`);
    });
  });
});
