import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import { SqliteEventStore, type EventStore } from '#event-store';
import { ProjectionDirectory, type Projection } from '#projections';
import type {
  FromProjectionWorker,
  ProjectionWorkerData,
  ToProjectionWorker,
} from './projection-worker.protocol.js';

export interface WorkerProjectionHostOptions extends ProjectionWorkerData {
  /** The compiled worker entry (`projection.worker.js`). */
  readonly script: string | URL;
  readonly onFailure?: (projection: string, message: string) => void;
}

/** How often waits look at the checkpoints, besides the worker's progress messages. */
const WAIT_POLL_MS = 20;

/**
 * The API's view of projections that run in a worker thread: states, tables and waits
 * come from the read-model database (a `ProjectionDirectory`), the worker's progress
 * messages wake read-your-writes waits, and appends committed here wake the worker's
 * subscriptions at once.
 */
export class WorkerProjectionHost extends ProjectionDirectory {
  private worker: Worker | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(
    store: EventStore,
    db: Database,
    projections: readonly Projection[],
    private readonly options: WorkerProjectionHostOptions,
  ) {
    super(store, db, projections);
    if (store instanceof SqliteEventStore) {
      store.onCommit((_appends, events) => {
        if (events > 0) this.post({ type: 'appended' });
      });
    }
  }

  /** Starts the worker and returns once its builds exist and it follows the log. */
  async start(): Promise<void> {
    const data: ProjectionWorkerData = {
      dataDir: this.options.dataDir,
      eventStoreConnectionString: this.options.eventStoreConnectionString,
    };
    const worker = new Worker(this.options.script, { workerData: data });
    this.worker = worker;
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromProjectionWorker) => {
        if (message.type === 'started') resolve();
        if (message.type === 'progress') this.wakeWaiters();
        if (message.type === 'failure')
          this.options.onFailure?.(message.projection, message.message);
      });
      worker.once('error', reject);
      worker.once('exit', (code) => {
        if (!this.stopping) reject(new Error(`the projection worker exited (${String(code)})`));
      });
    });
    this.pollTimer = setInterval(() => {
      if (this.waiters.length > 0) this.wakeWaiters();
    }, WAIT_POLL_MS);
    this.pollTimer.unref();
  }

  /** Lets the worker finish its batches and store its checkpoints, then ends it. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.pollTimer);
    this.abandonWaiters();
    const worker = this.worker;
    if (!worker) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        void worker.terminate().then(() => {
          resolve();
        });
      }, 10_000);
      worker.on('message', (message: FromProjectionWorker) => {
        if (message.type !== 'stopped') return;
        clearTimeout(timer);
        void worker.terminate().then(() => {
          resolve();
        });
      });
      worker.postMessage({ type: 'stop' } satisfies ToProjectionWorker);
    });
  }

  protected override buildsChanged(): void {
    this.post({ type: 'sync' });
  }

  private post(message: ToProjectionWorker): void {
    if (!this.stopping) this.worker?.postMessage(message);
  }
}
