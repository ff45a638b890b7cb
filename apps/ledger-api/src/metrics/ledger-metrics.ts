import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EventStore } from '#event-store';
import { SqliteEventStore } from '#event-store';
import type { ProjectionDirectory } from '#projections';

export type DeliveryOutcome =
  'accepted' | 'duplicate' | 'parked' | 'rejected' | 'unavailable' | 'error';

/**
 * The figures an operator watches (quality.md, "Operations"), in Prometheus text at
 * `GET /metrics`: deliveries by provider and outcome, append latency, group-commit
 * batch sizes, and each projection's lag and rebuild progress (read at scrape time).
 */
export class LedgerMetrics {
  readonly registry = new Registry();
  private readonly deliveries: Counter<'provider' | 'outcome'>;
  private readonly appendSeconds: Histogram;
  private readonly commitAppends: Histogram;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'ticket_ledger_' });
    this.deliveries = new Counter({
      name: 'ticket_ledger_deliveries_total',
      help: 'Webhook deliveries by provider and outcome (a batch counts each element)',
      labelNames: ['provider', 'outcome'],
      registers: [this.registry],
    });
    this.appendSeconds = new Histogram({
      name: 'ticket_ledger_append_duration_seconds',
      help: 'Time from an append request to its durable commit',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [this.registry],
    });
    this.commitAppends = new Histogram({
      name: 'ticket_ledger_group_commit_appends',
      help: 'Appends carried by each commit of the embedded store (group commit)',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
      registers: [this.registry],
    });
  }

  delivery(provider: string, outcome: DeliveryOutcome): void {
    this.deliveries.inc({ provider, outcome });
  }

  /** Wraps the store so every append is timed; the embedded store also reports its commits. */
  instrument(store: EventStore): EventStore {
    if (store instanceof SqliteEventStore) {
      store.onCommit((appends) => {
        this.commitAppends.observe(appends);
      });
    }
    return new TimedEventStore(store, this.appendSeconds);
  }

  /** Projection lag, checkpoint and rebuild progress, read from the runner at each scrape. */
  observeProjections(runner: ProjectionDirectory, store: EventStore): void {
    const states = async () => ({
      states: await runner.states(),
      head: await store.headPosition(),
    });
    new Gauge({
      name: 'ticket_ledger_projection_lag',
      help: 'Log positions a projection has not applied yet (events, on the embedded store)',
      labelNames: ['projection'],
      registers: [this.registry],
      async collect() {
        const { states: all, head } = await states();
        for (const state of all)
          this.set({ projection: state.name }, Math.max(0, head - state.checkpoint));
      },
    });
    new Gauge({
      name: 'ticket_ledger_projection_checkpoint',
      help: 'Global position the live build of a projection has applied',
      labelNames: ['projection'],
      registers: [this.registry],
      async collect() {
        for (const state of (await states()).states)
          this.set({ projection: state.name }, state.checkpoint);
      },
    });
    new Gauge({
      name: 'ticket_ledger_projection_rebuild_percent',
      help: 'Progress of the running (or last) rebuild of a projection',
      labelNames: ['projection'],
      registers: [this.registry],
      async collect() {
        for (const state of (await states()).states) {
          if (state.rebuild) this.set({ projection: state.name }, state.rebuild.percent);
        }
      },
    });
    new Gauge({
      name: 'ticket_ledger_projection_failed',
      help: '1 when a projection’s live build failed',
      labelNames: ['projection'],
      registers: [this.registry],
      async collect() {
        for (const state of (await states()).states) {
          this.set({ projection: state.name }, state.status === 'failed' ? 1 : 0);
        }
      },
    });
  }
}

/** The store, with each append's latency observed. */
class TimedEventStore implements EventStore {
  constructor(
    private readonly store: EventStore,
    private readonly appendSeconds: Histogram,
  ) {}

  async appendToStream(...args: Parameters<EventStore['appendToStream']>) {
    const stop = this.appendSeconds.startTimer();
    try {
      return await this.store.appendToStream(...args);
    } finally {
      stop();
    }
  }

  readStream(...args: Parameters<EventStore['readStream']>) {
    return this.store.readStream(...args);
  }

  readAll(...args: Parameters<EventStore['readAll']>) {
    return this.store.readAll(...args);
  }

  subscribeToAll(...args: Parameters<EventStore['subscribeToAll']>) {
    return this.store.subscribeToAll(...args);
  }

  findUniqueKey(key: string) {
    return this.store.findUniqueKey(key);
  }

  headPosition() {
    return this.store.headPosition();
  }

  health() {
    return this.store.health();
  }

  close() {
    return this.store.close();
  }
}
