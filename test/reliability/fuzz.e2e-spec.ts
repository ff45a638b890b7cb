// Fuzz (quality.md, "Reliability"), property-based with fast-check, per provider:
// random and mutated bodies, correctly authenticated, never get a 5xx nor crash the
// server, nothing of a rejected body (400) is stored and a 422 body is parked once; and
// fresh, valid deliveries sent wrongly — a missing or wrong signature or token, a content
// type that is not JSON, a body over WEBHOOK_MAX_BYTES — get their 401, 415 or 413
// problem details and nothing of them is stored, though each would be accepted if sent
// right. FUZZ_RUNS (bodies per provider), FUZZ_SEED replay a run.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { JsonObject } from '#event-store';
import type { Provider } from '#ledger';
import { COPE_EXAMPLES, INGRESSE_EXAMPLES, LTD_EXAMPLES } from '#testing';
import { expectProblem, type Answer } from '../support/http-answers.js';
import {
  copeCheckIn,
  copeEventPublished,
  copeTicketDelivery,
  ingresseTicketType,
  ltdEventChanged,
  ltdOptIn,
  ltdPerformanceChanged,
  ltdScheduledDelivery,
  ltdTransaction,
  unique,
} from '../support/intake-fixtures.js';
import { receiptOf, receipts, storedEvents } from '../support/intake-store.js';
import {
  COPE_SECRET,
  INGRESSE_TOKEN,
  LTD_TOKEN,
  PROVIDER_SECRETS,
  postCope,
  postIngresse,
  postLtd,
  standardWebhookHeaders,
  startLedgerApi,
  type RunningLedgerApi,
} from '../support/ledger-api.harness.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 2000);
/** Wrongly sent deliveries per provider. */
const FAULT_RUNS = Math.max(1, Math.round(RUNS / 2));
const SEED = Number(process.env['FUZZ_SEED'] ?? Date.now() % 100_000);
/** Small enough that an oversized body is cheap to send, far above every fuzzed body. */
const MAX_BYTES = 65_536;

/** Every path into a JSON value, to mutate one place of a valid example. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const children = Array.isArray(value)
    ? value.map((child, index) => paths(child, [...prefix, index]))
    : Object.entries(value).map(([key, child]) => paths(child, [...prefix, key]));
  return [prefix, ...children.flat()];
}

function mutate(example: Json, path: (string | number)[], replacement: Json | undefined): Json {
  const copy = JSON.parse(JSON.stringify(example)) as Json;
  if (path.length === 0) return replacement ?? null;
  let parent: Json = copy;
  for (const step of path.slice(0, -1)) parent = (parent as Record<string, Json>)[step] as Json;
  const last = path[path.length - 1] as string | number;
  if (replacement === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else Reflect.deleteProperty(parent as Record<string, Json>, last);
  } else {
    (parent as Record<string, Json>)[last] = replacement;
  }
  return copy;
}

/** A body: random JSON, random text, or a valid example with one place mutated (or deleted). */
function bodies(examples: readonly Json[]): fc.Arbitrary<string> {
  const mutated = fc
    .constantFrom(...examples)
    .chain((example) =>
      fc.record({
        example: fc.constant(example),
        path: fc.constantFrom(...paths(example)),
        replacement: fc.option(
          fc.oneof(fc.jsonValue(), fc.constant({ __proto__: { polluted: true } }), fc.string()),
          { nil: undefined },
        ),
      }),
    )
    .map(({ example, path, replacement }) =>
      JSON.stringify(mutate(example, path, replacement as Json)),
    );
  const deep = fc
    .integer({ min: 1, max: 5000 })
    .map((depth) => '['.repeat(depth) + ']'.repeat(depth));
  return fc.oneof(
    { weight: 6, arbitrary: mutated },
    { weight: 2, arbitrary: fc.jsonValue().map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.string() },
    { weight: 1, arbitrary: deep },
    {
      weight: 1,
      arbitrary: fc.constant('{"__proto__":{"polluted":true},"constructor":{"prototype":1}}'),
    },
  );
}

const sha256 = (body: string) => createHash('sha256').update(body).digest('hex');

/** A request as sent: the body, its content type (null: none at all), headers, query. */
interface Sending {
  readonly body: string;
  readonly contentType: string | null;
  readonly headers: Record<string, string>;
  readonly query?: string;
}

/** One way of sending a delivery wrongly, and the status it must get. */
interface Fault {
  readonly fault: string;
  readonly status: 401 | 413 | 415;
  readonly sending: (body: string) => Sending;
}

const CONTENT_TYPE: Record<Provider, string> = {
  cope: 'application/cloudevents+json',
  ltd: 'application/json',
  ingresse: 'application/json',
};

const TOKEN: Record<Exclude<Provider, 'cope'>, string> = {
  ltd: LTD_TOKEN,
  ingresse: INGRESSE_TOKEN,
};

/** Fresh deliveries (new ids) that the API accepts when they are sent right. */
const FRESH: Record<Provider, readonly (() => JsonObject)[]> = {
  cope: [() => copeTicketDelivery(), () => copeCheckIn(), () => copeEventPublished()],
  ltd: [
    () => ltdTransaction(),
    () => ltdScheduledDelivery(),
    () => ltdPerformanceChanged(),
    () => ltdEventChanged(),
    () => ltdOptIn(`${unique('fan')}@example.com`),
  ],
  ingresse: [() => ingresseTicketType()],
};

function rightAuthentication(provider: Provider, body: string): Record<string, string> {
  return provider === 'cope'
    ? standardWebhookHeaders(body)
    : { authorization: `Bearer ${TOKEN[provider]}` };
}

function sentRight(provider: Provider, body: string): Sending {
  return {
    body,
    contentType: CONTENT_TYPE[provider],
    headers: rightAuthentication(provider, body),
  };
}

/** The JSON body with a `padding` member that makes it exactly `bytes` long. */
function padded(body: string, bytes: number): string {
  const message = JSON.parse(body) as JsonObject;
  const unpadded = Buffer.byteLength(JSON.stringify({ ...message, padding: '' }));
  return JSON.stringify({ ...message, padding: 'x'.repeat(bytes - unpadded) });
}

function without(headers: Record<string, string>, names: readonly string[]) {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name)));
}

/** Header-safe text (what a misconfigured sender might put there). */
const token = fc.stringMatching(/^[A-Za-z0-9+/=_.~-]{1,64}$/);

const COPE_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

/** Standard Webhooks gone wrong: every one a 401. */
const copeAuthenticationFaults: fc.Arbitrary<Fault>[] = [
  fc.subarray([...COPE_HEADERS], { minLength: 1 }).map((missing) => ({
    fault: `without ${missing.join(', ')}`,
    status: 401,
    sending: (body) => ({
      ...sentRight('cope', body),
      headers: without(standardWebhookHeaders(body), missing),
    }),
  })),
  fc
    .uint8Array({ minLength: 24, maxLength: 32 })
    .map((key) => `whsec_${Buffer.from(key).toString('base64')}`)
    .filter((secret) => secret !== COPE_SECRET)
    .map((secret) => ({
      fault: `signed with ${secret}`,
      status: 401,
      sending: (body) => ({
        ...sentRight('cope', body),
        headers: standardWebhookHeaders(body, { secret }),
      }),
    })),
  fc.tuple(fc.constantFrom('v1,', 'v2,', 'v1a,', ''), token).map(([prefix, signature]) => ({
    fault: `signature ${prefix}${signature}`,
    status: 401,
    sending: (body) => ({
      ...sentRight('cope', body),
      headers: { ...standardWebhookHeaders(body), 'webhook-signature': `${prefix}${signature}` },
    }),
  })),
  fc.constantFrom(' ', '\n', '{}').map((extra) => ({
    fault: `signed over the body with ${JSON.stringify(extra)} after it`,
    status: 401,
    sending: (body) => ({
      ...sentRight('cope', body),
      headers: standardWebhookHeaders(`${body}${extra}`),
    }),
  })),
  fc
    .tuple(fc.integer({ min: 310, max: 1_000_000 }), fc.constantFrom(-1, 1))
    .map(([seconds, sign]) => ({
      fault: `timestamp ${String(sign * seconds)} s off`,
      status: 401,
      sending: (body) => ({
        ...sentRight('cope', body),
        headers: standardWebhookHeaders(body, { at: new Date(Date.now() + sign * seconds * 1000) }),
      }),
    })),
  token.map((id) => ({
    fault: `webhook-id ${id} other than the signed one`,
    status: 401,
    sending: (body) => ({
      ...sentRight('cope', body),
      headers: {
        ...standardWebhookHeaders(body, { id: `msg_signed_${id}` }),
        'webhook-id': `msg_${id}`,
      },
    }),
  })),
];

/** A token gone wrong: every one a 401. */
function tokenFaults(provider: 'ltd' | 'ingresse'): fc.Arbitrary<Fault>[] {
  const wrong = token.filter((candidate) => candidate !== TOKEN[provider]);
  return [
    fc.constant({
      fault: 'no Authorization header',
      status: 401,
      sending: (body: string) => ({ ...sentRight(provider, body), headers: {} }),
    }),
    wrong.map((value) => ({
      fault: `Bearer ${value}`,
      status: 401,
      sending: (body) => ({
        ...sentRight(provider, body),
        headers: { authorization: `Bearer ${value}` },
      }),
    })),
    fc.constantFrom('Basic', 'Token', 'Bearer:').map((scheme) => ({
      fault: `the token under ${scheme}`,
      status: 401,
      sending: (body) => ({
        ...sentRight(provider, body),
        headers: { authorization: `${scheme} ${TOKEN[provider]}` },
      }),
    })),
    wrong.map((value) => ({
      fault: `?token=${value}`,
      status: 401,
      sending: (body) => ({
        ...sentRight(provider, body),
        headers: {},
        query: `?token=${encodeURIComponent(value)}`,
      }),
    })),
  ];
}

/** Every way of sending a delivery of this provider wrongly. */
function faults(provider: Provider): fc.Arbitrary<Fault> {
  const contentTypes = fc
    .constantFrom(
      null,
      'text/plain',
      'text/html',
      'application/xml',
      'application/x-www-form-urlencoded',
      'application/octet-stream',
      'multipart/form-data; boundary=fuzz',
    )
    .map((contentType) => ({
      fault: `content type ${String(contentType)}`,
      status: 415 as const,
      sending: (body: string) => ({ ...sentRight(provider, body), contentType }),
    }));
  const oversized = fc.integer({ min: 1, max: 8192 }).map((over) => ({
    fault: `${String(over)} bytes over WEBHOOK_MAX_BYTES`,
    status: 413 as const,
    sending: (body: string) => sentRight(provider, padded(body, MAX_BYTES + over)),
  }));
  const authentication = provider === 'cope' ? copeAuthenticationFaults : tokenFaults(provider);
  return fc.oneof(contentTypes, oversized, ...authentication);
}

/** POSTs a request as given (a body of bytes, so that fetch adds no content type). */
async function send(api: { url: string }, provider: Provider, sending: Sending): Promise<Answer> {
  const headers: Record<string, string> = { ...sending.headers };
  if (sending.contentType !== null) headers['content-type'] = sending.contentType;
  const response = await fetch(`${api.url}/webhooks/${provider}${sending.query ?? ''}`, {
    method: 'POST',
    headers,
    body: new TextEncoder().encode(sending.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

/** How often each body (by SHA-256) was stored as a receipt. */
async function storedBodies(dataDir: string): Promise<Map<string, number>> {
  const stored = new Map<string, number>();
  for (const receipt of receipts(await storedEvents(dataDir))) {
    const hash = receiptOf(receipt).sha256;
    stored.set(hash, (stored.get(hash) ?? 0) + 1);
  }
  return stored;
}

describe('fuzz: random and mutated bodies per provider', () => {
  let api: RunningLedgerApi;

  beforeAll(async () => {
    api = await startLedgerApi({ ...PROVIDER_SECRETS, WEBHOOK_MAX_BYTES: String(MAX_BYTES) });
  });

  afterAll(async () => {
    await api.dispose();
  });

  const providers = [
    ['cope', Object.values(COPE_EXAMPLES), postCope],
    ['ltd', Object.values(LTD_EXAMPLES), postLtd],
    ['ingresse', [...INGRESSE_EXAMPLES], postIngresse],
  ] as const;

  it.each(providers)(
    'given %s bodies, then no 5xx, nothing stored from a rejected body, and a 422 body parked once',
    async (_provider, examples, send) => {
      const rejected = new Set<string>();
      const violations = new Set<string>();
      await fc.assert(
        fc.asyncProperty(bodies(examples as unknown as Json[]), async (body) => {
          const first = await send(api, body);
          expect(first.status).toBeLessThan(500);
          if ([400, 401, 413, 415].includes(first.status)) rejected.add(sha256(body));
          if (first.status === 422) {
            const again = await send(api, body);
            expect(again.status).toBe(422);
            expect(again.body['receiptId']).toBe(first.body['receiptId']);
            violations.add(sha256(body));
          }
        }),
        { numRuns: RUNS, seed: SEED },
      );

      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      const health = await fetch(`${api.url}/health/live`);
      expect(health.status).toBe(200);
      const stored = await storedBodies(api.dataDir);
      for (const hash of rejected) expect(stored.has(hash)).toBe(false);
      for (const hash of violations) expect(stored.get(hash)).toBe(1);
    },
    120_000,
  );

  it.each(['cope', 'ltd', 'ingresse'] as const)(
    `given fresh %s deliveries sent wrongly (${String(FAULT_RUNS)} runs: a missing or wrong signature or token, a content type not JSON, a body over WEBHOOK_MAX_BYTES), then 401, 415 or 413 problem details, never the secret, nothing of them stored; sent right, they are accepted`,
    async (provider) => {
      const secrets = Object.values(PROVIDER_SECRETS);
      const rejected: string[] = [];
      const seen = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...FRESH[provider]),
          faults(provider),
          async (fresh, fault) => {
            const sending = fault.sending(JSON.stringify(fresh()));
            const answer = await send(api, provider, sending);
            expect({ fault: fault.fault, status: answer.status }).toEqual({
              fault: fault.fault,
              status: fault.status,
            });
            expectProblem(answer, fault.status);
            const text = JSON.stringify(answer.body);
            expect(secrets.filter((secret) => text.includes(secret))).toEqual([]);
            rejected.push(sending.body);
            seen.set(fault.status, (seen.get(fault.status) ?? 0) + 1);
          },
        ),
        { numRuns: FAULT_RUNS, seed: SEED },
      );

      const stored = await storedBodies(api.dataDir);
      expect(rejected.filter((body) => stored.has(sha256(body)))).toEqual([]);
      expect([...seen.keys()].sort()).toEqual([401, 413, 415]);
      // The control: the same deliveries (those under the size limit) sent right.
      const control = rejected.filter((body) => Buffer.byteLength(body) <= MAX_BYTES).slice(-10);
      for (const body of control) {
        const answer = await send(api, provider, sentRight(provider, body));
        expect([answer.status, answer.body['status']]).toEqual([202, 'accepted']);
      }
      expect(control.length).toBeGreaterThan(0);
      expect((await fetch(`${api.url}/health/live`)).status).toBe(200);
    },
    60_000,
  );
});
