import { performance } from 'node:perf_hooks';

import { withValue } from '../validation/payload-check.fixtures.js';
import type { PayloadCheck } from '../validation/payload-check.js';
import { COPE_EXAMPLES } from './cope/cope.fixtures.js';
import { checkCopeEvent } from './cope/cope-event.check.js';
import {
  INGRESSE_TICKET_GROUP_EXAMPLE,
  INGRESSE_TICKET_TYPE_EXAMPLE,
} from './ingresse/ingresse.fixtures.js';
import { checkIngresseWebhook } from './ingresse/ingresse-webhook.check.js';
import { LTD_EXAMPLES, LTD_TRANSACTION_CHANGED_EXAMPLE } from './ltd/ltd.fixtures.js';
import { checkLtdMessage } from './ltd/ltd-message.check.js';

// Measures what validation costs per delivery on the hot path; printed, never asserted
// (timings depend on the machine).
const cases: [string, (body: unknown) => PayloadCheck<unknown>, unknown][] = [
  ...Object.entries(COPE_EXAMPLES).map(
    ([type, body]): [string, (body: unknown) => PayloadCheck<unknown>, unknown] => [
      `COPE ${type}`,
      checkCopeEvent,
      body,
    ],
  ),
  ...Object.entries(LTD_EXAMPLES).map(
    ([type, body]): [string, (body: unknown) => PayloadCheck<unknown>, unknown] => [
      `LTD ${type}`,
      checkLtdMessage,
      body,
    ],
  ),
  ['Ingresse ticket type', checkIngresseWebhook, INGRESSE_TICKET_TYPE_EXAMPLE],
  ['Ingresse ticket group', checkIngresseWebhook, INGRESSE_TICKET_GROUP_EXAMPLE],
  [
    'LTD TransactionChanged, 3 violations',
    checkLtdMessage,
    withValue(
      withValue(LTD_TRANSACTION_CHANGED_EXAMPLE, '/Timestamp', 'x'),
      '/Payload/Orders/0/Tickets',
      [{}],
    ),
  ],
];

describe('payload check cost', () => {
  it('given each seed example, when checked repeatedly, then the cost per delivery is printed', () => {
    const rounds = 500;
    const lines = cases.map(([name, check, body]) => {
      for (let round = 0; round < 100; round += 1) check(body);
      const started = performance.now();
      let outcome = '';
      for (let round = 0; round < rounds; round += 1) outcome = check(body).outcome;
      const micros = ((performance.now() - started) * 1000) / rounds;
      return `${name.padEnd(48)} ${micros.toFixed(1).padStart(7)} µs  ${outcome}`;
    });
    console.log(`validation cost per delivery (${rounds} rounds each)\n${lines.join('\n')}`);
    expect(lines).toHaveLength(cases.length);
  });
});
