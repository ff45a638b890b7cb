import { createHash } from 'node:crypto';
import { join } from 'node:path';
import fc from 'fast-check';
import { SqliteEventStore } from '#event-store';
import { COPE_EXAMPLES, INGRESSE_EXAMPLES, LTD_EXAMPLES } from '#testing';
import {
  PROVIDER_SECRETS,
  postCope,
  postIngresse,
  postLtd,
  startLedgerApi,
  type RunningLedgerApi,
} from '../support/ledger-api.harness.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 1000);

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

describe('fuzz: random and mutated bodies per provider', () => {
  let api: RunningLedgerApi;

  beforeAll(async () => {
    api = await startLedgerApi(PROVIDER_SECRETS);
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
        { numRuns: RUNS, seed: Number(process.env['FUZZ_SEED'] ?? Date.now() % 100_000) },
      );

      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      const health = await fetch(`${api.url}/health/live`);
      expect(health.status).toBe(200);
      const store = SqliteEventStore.open({ file: join(api.dataDir, 'events.sqlite') });
      const stored = new Map<string, number>();
      for (let after = 0; ;) {
        const page = await store.readAll({ afterPosition: after, limit: 1000 });
        for (const event of page) {
          if (event.type !== 'WebhookReceived') continue;
          const hash = event.data['sha256'] as string;
          stored.set(hash, (stored.get(hash) ?? 0) + 1);
        }
        const last = page[page.length - 1];
        if (!last) break;
        after = last.position;
      }
      await store.close();
      for (const hash of rejected) expect(stored.has(hash)).toBe(false);
      for (const hash of violations) expect(stored.get(hash)).toBe(1);
    },
    120_000,
  );
});
