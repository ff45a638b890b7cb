// Crash (quality.md, "Reliability"): the built server, under concurrent load of a mixed
// corpus of the three providers, is killed with SIGKILL at random moments. After each
// restart every delivery that got a 2xx is stored exactly once (under the receipt id it
// was answered with), and every read model — tickets, attendance, delivery, inventory,
// discrepancies and the audit index — equals a fresh rebuild from the log.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Provider } from '#ledger';
import { startBuiltApi, type RunningApi } from '../support/built-api.js';
import { receipts, storedEvents } from '../support/intake-store.js';
import { PROVIDER_SECRETS } from '../support/ledger-api.harness.js';
import {
  canonical,
  canonicalDump,
  deliver,
  field,
  getJson,
  inParallel,
  rebuildAll,
  sortedJson,
  waitForReadModels,
  type Dump,
  type DumpIds,
  type Json,
} from '../support/reads.js';
import {
  reconciliationCorpus,
  type CorpusDelivery,
  type ReconciliationCorpus,
} from '../scenarios/reconciliation-corpus.js';

const ROUNDS = 3;
const WORKERS = 16;
/** How often a worker sends again a delivery it (or another) already sent. */
const REDELIVERY_RATE = 0.1;
/** Reads in flight at once while dumping the read models. */
const READ_CONCURRENCY = 8;

const sha256 = (body: string) => createHash('sha256').update(body).digest('hex');

function shuffled<T>(list: readonly T[]): T[] {
  const copy = [...list];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(Math.random() * (index + 1));
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

/**
 * The load: copies of the reconciliation corpus (COPE publications, delivery requests and
 * check-ins; LTD transactions, e-ticket releases, opt-ins, event and performance changes;
 * Ingresse ticket types and groups), each copy under ids of its own, one after the other.
 */
class Load {
  readonly copies: ReconciliationCorpus[] = [];
  /** Every delivery handed out, in order: `sent[n]` is delivery number n. */
  readonly sent: (CorpusDelivery & { readonly sha256: string })[] = [];

  private queue: CorpusDelivery[] = [];

  /** Hands out a delivery never sent before (the next copy's, shuffled, when one runs out). */
  next(): number {
    if (this.queue.length === 0) {
      const copy = this.copies.length;
      const corpus = reconciliationCorpus(`crash${String(copy)}`, 20_000_000 + copy * 1_000_000);
      this.copies.push(corpus);
      this.queue = shuffled(corpus.deliveries);
    }
    const delivery = this.queue.shift() as CorpusDelivery;
    this.sent.push({ ...delivery, sha256: sha256(delivery.body) });
    return this.sent.length - 1;
  }

  /** The ids of every copy delivery has begun on. */
  ids(): DumpIds {
    const all = this.copies.map((copy) => copy.ids);
    return {
      copeEvents: all.flatMap((ids) => ids.copeEvents),
      ticketCodes: all.flatMap((ids) => ids.ticketCodes),
      copeTickets: all.flatMap((ids) => ids.copeTickets),
      ltdBookings: all.flatMap((ids) => ids.ltdBookings),
      ltdPerformances: all.flatMap((ids) => ids.ltdPerformances),
      ingresseEvents: all.flatMap((ids) => ids.ingresseEvents),
    };
  }
}

async function send(
  api: RunningApi,
  provider: Provider,
  body: string,
): Promise<{ status: number; receiptId: string | null } | 'failed'> {
  try {
    const answer = await deliver(api, provider, body);
    const receiptId = answer.body['receiptId'];
    return { status: answer.status, receiptId: typeof receiptId === 'string' ? receiptId : null };
  } catch {
    // The server died with the request in flight.
    return 'failed';
  }
}

/**
 * The audit read model, canonically: every receipt (what it caused), every ticket code's
 * streams, and the parked list.
 */
async function auditDump(
  api: RunningApi,
  receiptIds: readonly string[],
  ticketCodes: readonly string[],
): Promise<Record<string, Json>> {
  const dumped = async (path: string): Promise<[string, Json]> => {
    const answer = await getJson(api, path);
    return [path, { status: answer.status, body: canonical(answer.body) }];
  };
  const paths = [
    '/audit/parked',
    ...receiptIds.map((id) => `/audit/receipts/${id}`),
    ...ticketCodes.map((code) => `/audit/tickets/${encodeURIComponent(code)}`),
  ];
  return Object.fromEntries(await inParallel(paths, READ_CONCURRENCY, dumped));
}

/**
 * A killed server cannot give up its projection leases: a restarted one waits for them to
 * expire (15 s) before its read models move again. Between the kill rounds the test
 * expires them by hand, as if that time had passed, so that every round kills the server
 * while projections are writing too; the last restart waits them out for real.
 */
function expireLeases(dataDir: string): void {
  const db = new BetterSqlite3(join(dataDir, 'read-models.sqlite'));
  try {
    db.prepare('UPDATE projection_leases SET expires_at = 0').run();
  } finally {
    db.close();
  }
}

/** How many reads of each model answered 200. */
function answered(dump: Dump): Record<string, number> {
  const { discrepancies: _, ...models } = dump;
  return Object.fromEntries(
    Object.entries(models).map(([model, reads]) => [
      model,
      Object.values(reads).filter((read) => read.status === 200).length,
    ]),
  );
}

describe('crash: SIGKILL under concurrent load of the three providers', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ticket-ledger-crash-'));
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`given a mixed corpus of COPE, LTD and Ingresse deliveries and ${String(ROUNDS)} kills at random moments, then after each restart every delivery answered 2xx is stored exactly once, and every read model equals a fresh rebuild`, async () => {
    const load = new Load();
    /** Delivery number → the receipt id its first 2xx named. */
    const acknowledged = new Map<number, string | null>();
    const attempted = new Set<number>();
    const checked: { round: number; receipts: number; providers: string[] }[] = [];

    /** Run on a freshly restarted server, before any new load. */
    const checkAfterRestart = async (api: RunningApi, round: number) => {
      const events = await storedEvents(dataDir);
      const stored = receipts(events);
      const bySha = new Map<string, string[]>();
      for (const receipt of stored) {
        const hash = receipt.data['sha256'] as string;
        bySha.set(hash, [...(bySha.get(hash) ?? []), receipt.id]);
      }
      for (const [number, receiptId] of acknowledged) {
        const { label, sha256: hash } = load.sent[number] as (typeof load.sent)[number];
        expect({ round, delivery: label, storedAs: bySha.get(hash) }).toEqual({
          round,
          delivery: label,
          storedAs: [receiptId],
        });
      }
      expect([...bySha.values()].filter((ids) => ids.length !== 1)).toEqual([]);
      expect(bySha.size).toBeLessThanOrEqual(attempted.size);

      const attemptedBodies = new Set([...attempted].map((number) => load.sent[number]?.sha256));
      expect([...bySha.keys()].filter((hash) => !attemptedBodies.has(hash))).toEqual([]);

      // The live read models, caught up with the log after the crash, against the same
      // log applied again from position 0.
      const head = events.at(-1)?.position ?? 0;
      await waitForReadModels(api, head, 30_000);
      const ids = load.ids();
      const receiptIds = stored.map((receipt) => receipt.id);
      const live = {
        reads: await canonicalDump(api, ids, READ_CONCURRENCY),
        audit: await auditDump(api, receiptIds, ids.ticketCodes),
      };
      await rebuildAll(api, 30_000);
      const rebuilt = {
        reads: await canonicalDump(api, ids, READ_CONCURRENCY),
        audit: await auditDump(api, receiptIds, ids.ticketCodes),
      };
      expect(sortedJson(rebuilt)).toBe(sortedJson(live));

      // Not a comparison of empty answers: every model answers for some ids, the list
      // holds discrepancies, and every stored receipt is in the audit index.
      expect(Object.entries(answered(live.reads)).filter(([, count]) => count === 0)).toEqual([]);
      expect(live.reads.discrepancies.length).toBeGreaterThan(0);
      const receiptReads = Object.entries(live.audit).filter(([path]) =>
        path.startsWith('/audit/receipts/'),
      );
      expect(receiptReads).toHaveLength(stored.length);
      expect(receiptReads.filter(([, read]) => field(read, 'status') !== 200)).toEqual([]);
      const providers = new Set(stored.map((receipt) => receipt.data['provider'] as string));
      checked.push({ round, receipts: stored.length, providers: [...providers].sort() });
    };

    for (let round = 0; round < ROUNDS; round += 1) {
      if (round > 0) expireLeases(dataDir);
      const api = await startBuiltApi({ ...PROVIDER_SECRETS, DATA_DIR: dataDir });
      let killed = false;
      const workers: Promise<void>[] = [];
      try {
        if (round > 0) await checkAfterRestart(api, round);
        const worker = async () => {
          while (!killed) {
            const redelivery = load.sent.length > 10 && Math.random() < REDELIVERY_RATE;
            const number = redelivery ? Math.floor(Math.random() * load.sent.length) : load.next();
            const delivery = load.sent[number] as (typeof load.sent)[number];
            attempted.add(number);
            const answer = await send(api, delivery.provider, delivery.body);
            if (answer === 'failed') continue;
            if (answer.status !== 200 && answer.status !== 202) {
              throw new Error(`${delivery.label}: unexpected status ${String(answer.status)}`);
            }
            const first = acknowledged.get(number);
            if (first === undefined) acknowledged.set(number, answer.receiptId);
            else if (first !== answer.receiptId) {
              throw new Error(
                `${delivery.label} answered as ${String(answer.receiptId)}, earlier as ${String(first)}`,
              );
            }
          }
        };
        for (let count = 0; count < WORKERS; count += 1) workers.push(worker());
        await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 700));
      } finally {
        killed = true;
        await api.stop('SIGKILL');
      }
      await Promise.all(workers);
    }

    const api = await startBuiltApi({ ...PROVIDER_SECRETS, DATA_DIR: dataDir });
    try {
      await checkAfterRestart(api, ROUNDS);
    } finally {
      await api.stop();
    }
    expect(checked.map((check) => check.round)).toEqual([1, 2, 3]);
    expect(acknowledged.size).toBeGreaterThan(50);
    expect(checked.at(-1)?.providers).toEqual(['cope', 'ingresse', 'ltd']);
    console.log(
      `crash: ${String(attempted.size)} deliveries attempted, ${String(acknowledged.size)} acknowledged, over ${String(load.copies.length)} corpus copies; receipts after each restart: ${checked.map((check) => check.receipts).join(', ')}`,
    );
  }, 120_000);
});
