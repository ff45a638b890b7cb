import { Worker } from 'node:worker_threads';
import type { EventStore, EventToAppend } from '#event-store';
import {
  chainedEvents,
  deliveryEventId,
  GENESIS_HASH,
  type LedgerEvent,
  type WebhookReceived,
} from '#ledger';
import { allowListedHeaders, deliveryIdentity, sha256Hex, storedBody } from '#webhook-intake';
// The translators are the intake's internals (not exported): the seeder takes them by path
// so that the stored domain events are exactly the ones the intake would decide.
import { translateCopeEvent } from '../../../libs/webhook-intake/src/translation/cope.translator.js';
import { translateIngresseWebhook } from '../../../libs/webhook-intake/src/translation/ingresse.translator.js';
import { translateLtdMessage } from '../../../libs/webhook-intake/src/translation/ltd.translator.js';
import type { StreamDecision } from '../../../libs/webhook-intake/src/translation/stream-decision.js';
import {
  newCredentials,
  signedRequest,
  WebhookCorpus,
  type WebhookDelivery,
} from './webhook.corpus.js';

export interface SeedOptions {
  /** Stop once at least this many events are stored. */
  readonly events: number;
  readonly runId: string;
  /** Check-ins of the one big COPE event the query benchmark reads. */
  readonly arenaCheckIns: number;
  /** Deliveries per commit. */
  readonly batch: number;
}

export interface SeedResult extends GeneratorSummary {
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** Time the appends waited for the generator: above zero, generation is the bottleneck. */
  readonly generatorWaitSeconds: number;
  readonly headPosition: number;
}

interface StreamHead {
  readonly revision: number;
  readonly hash: string;
}

const DATA_KEY = Buffer.alloc(32, 7);
const CREDENTIALS = newCredentials();

/** What the generator thread sends: a batch of appends, or the end of the log. */
export type GeneratorMessage =
  | { readonly type: 'batch'; readonly appends: readonly SeedAppend[] }
  | { readonly type: 'done'; readonly summary: GeneratorSummary };

export interface GeneratorSummary {
  readonly events: number;
  readonly deliveries: number;
  readonly streams: number;
  readonly arenaEventId: string;
  readonly arenaTickets: number;
  readonly arenaCheckIns: number;
}

/** Batches generated ahead of the appends: the generator and SQLite work on both cores. */
const PREFETCH = 3;

/**
 * Fills a store with what the intake would have written for a stream of deliveries —
 * the receipt (raw body, headers, SHA-256, deduplication keys) and the domain events
 * the real translators and deciders make of it, with deterministic ids, chained hashes
 * (the audit can verify them) and the unique keys claimed — but straight through
 * the store port, in big group commits, without HTTP or validation. A worker thread
 * generates while this thread appends.
 */
export async function seedLedgerLog(store: EventStore, options: SeedOptions): Promise<SeedResult> {
  const started = process.hrtime.bigint();
  const worker = new Worker(new URL('./ledger-log-generator.thread.js', import.meta.url), {
    workerData: options,
  });
  const inbox = new Inbox<GeneratorMessage>();
  worker.on('message', (message: GeneratorMessage) => {
    inbox.push(message);
  });
  worker.on('error', (error) => {
    inbox.fail(error);
  });
  try {
    let waitingNs = 0n;
    for (let index = 0; index < PREFETCH; index += 1) worker.postMessage('more');
    for (;;) {
      const waitStarted = process.hrtime.bigint();
      const message = await inbox.next();
      waitingNs += process.hrtime.bigint() - waitStarted;
      if (message.type === 'done') {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        return {
          ...message.summary,
          seconds,
          eventsPerSecond: message.summary.events / seconds,
          generatorWaitSeconds: Number(waitingNs) / 1e9,
          headPosition: await store.headPosition(),
        };
      }
      worker.postMessage('more');
      // Appends requested in one event-loop turn are one transaction (group commit).
      await Promise.all(
        message.appends.map((append) =>
          store.appendToStream(append.streamId, append.events, {
            expectedRevision: append.expectedRevision,
            uniqueKeys: append.uniqueKeys,
          }),
        ),
      );
    }
  } finally {
    await worker.terminate();
  }
}

/** Messages in arrival order, awaited one at a time. */
class Inbox<T> {
  private readonly messages: T[] = [];
  private waiting: { resolve: (message: T) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;

  push(message: T): void {
    if (this.waiting) {
      this.waiting.resolve(message);
      this.waiting = undefined;
    } else {
      this.messages.push(message);
    }
  }

  fail(error: Error): void {
    this.failure = error;
    this.waiting?.reject(this.failure);
    this.waiting = undefined;
  }

  next(): Promise<T> {
    const message = this.messages.shift();
    if (message !== undefined) return Promise.resolve(message);
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }
}

/**
 * The log, delivery by delivery. About a tenth of the deliveries are check-ins of one big
 * COPE event (the "arena"), with its delivery requests before them.
 */
export class LedgerLogGenerator {
  private readonly corpus: WebhookCorpus;
  private readonly heads = new Map<string, StreamHead>();
  private readonly arena: ArenaSchedule;
  private readonly arenaShare: number;
  private events = 0;
  private arenaEvents = 0;
  private deliveries = 0;
  private receivedAtMs = Date.now() - 3_600_000;

  constructor(private readonly options: SeedOptions) {
    // A month back: the corpora sent to the API later are newer than anything stored.
    this.corpus = new WebhookCorpus(options.runId, 11, Date.now() - 30 * 86_400_000);
    this.arena = new ArenaSchedule(this.corpus, `arena-${options.runId}`, options.arenaCheckIns);
    // The arena's share of events, a little over its due so that it is complete before the end.
    this.arenaShare = Math.min(0.5, ((this.arena.deliveries * 2) / options.events) * 1.02);
  }

  /** Up to `size` appends; none once the log has its events. */
  next(size: number): SeedAppend[] {
    const appends: SeedAppend[] = [];
    while (appends.length < size && this.events < this.options.events) {
      const fromArena = !this.arena.done && this.arenaEvents <= this.arenaShare * this.events;
      const delivery = fromArena ? this.arena.next() : this.corpus.next();
      this.receivedAtMs += 1;
      const append = toAppend(delivery, new Date(this.receivedAtMs).toISOString(), this.heads);
      appends.push(append);
      this.events += append.events.length;
      if (fromArena) this.arenaEvents += append.events.length;
      this.deliveries += 1;
    }
    return appends;
  }

  summary(): GeneratorSummary {
    return {
      events: this.events,
      deliveries: this.deliveries,
      streams: this.heads.size,
      arenaEventId: this.arena.eventId,
      arenaTickets: this.arena.requested,
      arenaCheckIns: this.arena.checkedIn,
    };
  }
}

/**
 * The big event: published, then a delivery request per ticket, then the check-ins —
 * 97 % of tickets once, 2 % scanned twice, 1 % unknown tickets.
 */
class ArenaSchedule {
  readonly deliveries: number;
  requested = 0;
  checkedIn = 0;
  private published = false;
  private readonly tickets: number;

  constructor(
    private readonly corpus: WebhookCorpus,
    readonly eventId: string,
    private readonly checkIns: number,
  ) {
    this.tickets = checkIns;
    this.deliveries = 1 + this.tickets + checkIns;
  }

  get done(): boolean {
    return this.checkedIn >= this.checkIns;
  }

  next(): WebhookDelivery {
    if (!this.published) {
      this.published = true;
      return this.corpus.eventPublished(this.eventId, this.tickets);
    }
    if (this.requested < this.tickets) {
      this.requested += 1;
      // Kept out of the mix's check-ins: the arena's check-ins are exactly the ones below.
      return this.corpus.deliveryRequested(this.eventId, this.ticketId(this.requested - 1), false);
    }
    const scan = this.checkedIn;
    this.checkedIn += 1;
    const once = Math.floor(this.checkIns * 0.97);
    const twice = Math.floor(this.checkIns * 0.99);
    const ticketId =
      scan < once
        ? this.ticketId(scan)
        : scan < twice
          ? this.ticketId(((scan - once) * 7919) % once)
          : `${this.eventId}-unknown-${String(scan)}`;
    return this.corpus.checkIn(this.eventId, ticketId, `${this.eventId}-scan-${String(scan)}`);
  }

  private ticketId(index: number): string {
    return `${this.eventId}-t${String(index)}`;
  }
}

export interface SeedAppend {
  readonly streamId: string;
  readonly events: EventToAppend[];
  readonly expectedRevision: number | 'no_stream';
  readonly uniqueKeys: readonly string[];
}

/** What WebhookIntake.apply and LedgerWriter.append would append for this delivery. */
function toAppend(
  delivery: WebhookDelivery,
  receivedAt: string,
  heads: Map<string, StreamHead>,
): SeedAppend {
  const decision = translate(delivery);
  const identity = deliveryIdentity(delivery.provider, delivery.message);
  const request = signedRequest(delivery, CREDENTIALS, Math.floor(Date.parse(receivedAt) / 1000));
  const receipt: WebhookReceived = {
    provider: delivery.provider,
    messageType: delivery.messageType,
    deduplicationKeys: identity.keys,
    receivedAt,
    signatureVerified: true,
    headers: allowListedHeaders(request.headers),
    sha256: sha256Hex(delivery.body),
    ...storedBody(delivery.body),
    outcome: 'accepted',
  };
  const decided: LedgerEvent[] = [
    { type: 'WebhookReceived', data: receipt },
    ...decision.decider.decide(decision.command, decision.decider.initialState),
  ];
  const head = heads.get(decision.streamId) ?? { revision: -1, hash: GENESIS_HASH };
  const { events, hash } = chainedEvents(
    decision.streamId,
    head,
    decided,
    (index) => deliveryEventId(identity.deliveryKey, 'accepted', index),
    decision.correlationId,
  );
  const revision = head.revision + events.length;
  heads.set(decision.streamId, { revision, hash });
  return {
    streamId: decision.streamId,
    events,
    expectedRevision: head.revision < 0 ? 'no_stream' : head.revision,
    uniqueKeys: identity.keys,
  };
}

function translate(delivery: WebhookDelivery): StreamDecision {
  switch (delivery.provider) {
    case 'cope':
      return translateCopeEvent(delivery.message);
    case 'ltd':
      return translateLtdMessage(delivery.message, DATA_KEY);
    case 'ingresse':
      return translateIngresseWebhook(delivery.message);
  }
}
