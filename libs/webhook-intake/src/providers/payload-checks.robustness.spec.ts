import { seededRandom } from '#testing';
import { pointersInto, randomJsonValue, withValue } from '../validation/payload-check.fixtures.js';
import type { PayloadCheck } from '../validation/payload-check.js';
import { COPE_EXAMPLES } from './cope/cope.fixtures.js';
import { checkCopeEvent } from './cope/cope-event.check.js';
import { INGRESSE_EXAMPLES } from './ingresse/ingresse.fixtures.js';
import { checkIngresseWebhook } from './ingresse/ingresse-webhook.check.js';
import { LTD_EXAMPLES } from './ltd/ltd.fixtures.js';
import { checkLtdMessage } from './ltd/ltd-message.check.js';

const OUTCOMES = [
  'valid',
  'unsupported_type',
  'unsupported_version',
  'contract_violation',
  'not_envelope',
];

const providers: [string, (body: unknown) => PayloadCheck<unknown>, unknown[]][] = [
  ['COPE', checkCopeEvent, Object.values(COPE_EXAMPLES)],
  ['LTD', checkLtdMessage, Object.values(LTD_EXAMPLES)],
  ['Ingresse', checkIngresseWebhook, [...INGRESSE_EXAMPLES]],
];

describe('payload checks on arbitrary input', () => {
  it.each(providers)(
    'given random JSON values and mutated %s examples, when checked, then they never throw',
    (_provider, check, examples) => {
      const next = seededRandom(20_260_505);
      for (let round = 0; round < 1500; round += 1) {
        const example = examples[round % examples.length];
        const paths = pointersInto(example);
        const body =
          round % 3 === 0
            ? randomJsonValue(next, 0)
            : withValue(
                example,
                paths[Math.floor(next() * paths.length)] ?? '/x',
                randomJsonValue(next, 0),
              );
        const result = check(body);
        expect(OUTCOMES).toContain(result.outcome);
        if (result.outcome === 'contract_violation') {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const error of result.errors) expect(error.pointer).toMatch(/^(\/[^/]*)*$/);
        }
      }
      expect(({} as Record<string, unknown>).x).toBeUndefined();
    },
  );
});
