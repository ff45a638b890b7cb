import { IsString } from 'class-validator';
import { seededRandom } from '#testing';
import { CopeCheckInCreatedEventDto } from '../providers/cope/cope-check-in-created.dto.js';
import { CopeEnvelopeDto } from '../providers/cope/cope-envelope.dto.js';
import { CopeEventPublishedEventDto } from '../providers/cope/cope-event-published.dto.js';
import { CopeTicketDeliveryRequestedEventDto } from '../providers/cope/cope-ticket-delivery-requested.dto.js';
import { COPE_EXAMPLES } from '../providers/cope/cope.fixtures.js';
import { IngresseEnvelopeDto } from '../providers/ingresse/ingresse-envelope.dto.js';
import { IngresseTicketWebhookDto } from '../providers/ingresse/ingresse-ticket.dto.js';
import { INGRESSE_EXAMPLES } from '../providers/ingresse/ingresse.fixtures.js';
import { LtdAffiliateOptInMessageDto } from '../providers/ltd/ltd-affiliate-opt-in.dto.js';
import { LtdEnvelopeDto } from '../providers/ltd/ltd-envelope.dto.js';
import { LtdEventChangedMessageDto } from '../providers/ltd/ltd-event-changed.dto.js';
import { LtdPerformanceChangedMessageDto } from '../providers/ltd/ltd-performance-changed.dto.js';
import { LtdScheduledEticketDeliveryMessageDto } from '../providers/ltd/ltd-scheduled-eticket-delivery.dto.js';
import { LtdTransactionChangedMessageDto } from '../providers/ltd/ltd-transaction-changed.dto.js';
import { LTD_EXAMPLES } from '../providers/ltd/ltd.fixtures.js';
import { compiledContract } from './compiled-contract.validator.js';
import { classValidatorViolations } from './contract.validator.js';
import type { DtoClass } from './nested-object.decorator.js';
import {
  pointersInto,
  randomJsonValue,
  withoutValue,
  withValue,
} from './payload-check.fixtures.js';

const CONTRACTS: [string, DtoClass, unknown][] = [
  ...Object.values(COPE_EXAMPLES).map((example): [string, DtoClass, unknown] => [
    'CopeEnvelopeDto',
    CopeEnvelopeDto,
    example,
  ]),
  [
    'CopeTicketDeliveryRequestedEventDto',
    CopeTicketDeliveryRequestedEventDto,
    COPE_EXAMPLES['ticketing.ticket_delivery.requested'],
  ],
  [
    'CopeEventPublishedEventDto',
    CopeEventPublishedEventDto,
    COPE_EXAMPLES['ticketing.event.published'],
  ],
  [
    'CopeCheckInCreatedEventDto',
    CopeCheckInCreatedEventDto,
    COPE_EXAMPLES['ticketing.check_in.created'],
  ],
  ...Object.values(LTD_EXAMPLES).map((example): [string, DtoClass, unknown] => [
    'LtdEnvelopeDto',
    LtdEnvelopeDto,
    example,
  ]),
  [
    'LtdScheduledEticketDeliveryMessageDto',
    LtdScheduledEticketDeliveryMessageDto,
    LTD_EXAMPLES.ScheduledEticketDelivery,
  ],
  [
    'LtdTransactionChangedMessageDto',
    LtdTransactionChangedMessageDto,
    LTD_EXAMPLES.TransactionChanged,
  ],
  [
    'LtdPerformanceChangedMessageDto',
    LtdPerformanceChangedMessageDto,
    LTD_EXAMPLES.PerformanceChanged,
  ],
  ['LtdEventChangedMessageDto', LtdEventChangedMessageDto, LTD_EXAMPLES.EventChanged],
  ['LtdAffiliateOptInMessageDto', LtdAffiliateOptInMessageDto, LTD_EXAMPLES.AffiliateOptIn],
  ...INGRESSE_EXAMPLES.flatMap((example): [string, DtoClass, unknown][] => [
    ['IngresseEnvelopeDto', IngresseEnvelopeDto, example],
    ['IngresseTicketWebhookDto', IngresseTicketWebhookDto, example],
  ]),
];

/** What the API sees after `JSON.parse` and the unsafe-key filter: plain JSON, no `__proto__`. */
function asParsedJson(body: unknown): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(body, (key, value: unknown) =>
      key === '__proto__' || key === 'constructor' ? undefined : value,
    ),
  ) as Record<string, unknown>;
}

/** One random edit of a valid body: a value replaced (often breaking it) or a member removed. */
function mutated(example: unknown, next: () => number): Record<string, unknown> {
  const paths = pointersInto(example);
  const path = paths[Math.floor(next() * paths.length)] ?? '/x';
  return asParsedJson(
    next() < 0.25 ? withoutValue(example, path) : withValue(example, path, randomJsonValue(next)),
  );
}

describe('compiledContract', () => {
  it.each(CONTRACTS)('given a valid %s example, then it accepts it', (_name, dto, example) => {
    expect(classValidatorViolations(dto, asParsedJson(example))).toEqual([]);
    expect(compiledContract(dto)(asParsedJson(example))).toBe(true);
  });

  it.each(CONTRACTS)(
    'given 600 random edits of a %s example, then it accepts only what class-validator accepts, and accepts what it can',
    (_name, dto, example) => {
      const next = seededRandom(20_261_127);
      let accepted = 0;
      let rejected = 0;
      let explainedValid = 0;
      for (let round = 0; round < 600; round += 1) {
        const body = mutated(example, next);
        const violations = classValidatorViolations(dto, body);
        if (compiledContract(dto)(body)) {
          expect({ body, violations }).toEqual({ body, violations: [] });
          accepted += 1;
        } else if (violations.length > 0) {
          rejected += 1;
        } else {
          explainedValid += 1;
        }
      }
      // Both verdicts were exercised, and the accept path rarely hands a valid body on.
      expect(accepted).toBeGreaterThan(0);
      expect(rejected).toBeGreaterThan(0);
      expect(explainedValid).toBeLessThanOrEqual(accepted / 10);
    },
  );

  // The bare COPE envelope (types this code does not know) leaves `data` unjudged: both
  // validators must agree it may be absent or any JSON, and still judge the attributes.
  it.each([
    ['absent', undefined],
    ['null', null],
    ['a string', 'opaque'],
    ['an array', [{ a: 1 }]],
    ['a number', 7],
  ])('given a bare COPE envelope whose data is %s, then both accept it', (_kind, data) => {
    const { data: _omitted, ...attributes } = asParsedJson(
      COPE_EXAMPLES['ticketing.check_in.created'],
    );
    const body = data === undefined ? attributes : { ...attributes, data };
    expect(classValidatorViolations(CopeEnvelopeDto, body)).toEqual([]);
    expect(compiledContract(CopeEnvelopeDto)(body)).toBe(true);
    const broken = { ...body, specversion: '0.3' };
    expect(classValidatorViolations(CopeEnvelopeDto, broken)).not.toEqual([]);
    expect(compiledContract(CopeEnvelopeDto)(broken)).toBe(false);
  });

  it('given a class without validation metadata, then it accepts nothing', () => {
    class Undecorated {}
    expect(compiledContract(Undecorated)({})).toBe(false);
  });

  it('given a property validated through its own declaring class, then inherited rules apply', () => {
    class Base {
      @IsString()
      name!: string;
    }
    class Derived extends Base {}
    expect(compiledContract(Derived)({ name: 'x' })).toBe(true);
    expect(compiledContract(Derived)({ name: 5 })).toBe(false);
  });
});
