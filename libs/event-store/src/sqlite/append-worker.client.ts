import { Worker } from 'node:worker_threads';
import { StoreUnavailableError } from '../event-store.errors.js';
import type {
  AppendWorkerData,
  FromAppendWorker,
  ToAppendWorker,
} from './append-worker.protocol.js';
import type { AppendOutcome, AppendRequest } from './sqlite-committer.js';

interface PendingCommit {
  readonly worker: Worker;
  readonly resolve: (outcomes: AppendOutcome[]) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Sends group commits to the append worker (`sqlite-append.worker.js`) and settles them
 * from its answers. A worker that dies (its file could not be opened, say) fails the
 * commits it held with `StoreUnavailableError`; the next commit starts a new one, so
 * the store recovers by itself once the cause is gone.
 */
export class AppendWorkerClient {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, PendingCommit>();
  private nextId = 1;

  constructor(
    private readonly script: string | URL,
    private readonly data: AppendWorkerData,
  ) {}

  commit(requests: readonly AppendRequest[]): Promise<AppendOutcome[]> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<AppendOutcome[]>((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject });
      // Held only while commits are outstanding: an idle writer keeps no process alive.
      worker.ref();
      worker.postMessage({ type: 'commit', id, requests } satisfies ToAppendWorker);
    });
  }

  /** Called once no commit is outstanding: lets the worker close its connection and end. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    const exited = new Promise<void>((resolve) =>
      worker.once('exit', () => {
        resolve();
      }),
    );
    worker.postMessage({ type: 'close' } satisfies ToAppendWorker);
    await exited;
  }

  private start(): Worker {
    const worker = new Worker(this.script, { workerData: this.data });
    this.worker = worker;
    worker.on('message', (message: FromAppendWorker) => {
      const commit = this.pending.get(message.id);
      if (!commit) return;
      this.pending.delete(message.id);
      if (![...this.pending.values()].some((other) => other.worker === worker)) worker.unref();
      if (message.type === 'committed') commit.resolve(message.outcomes);
      else commit.reject(Object.assign(new Error(message.message), { code: message.code }));
    });
    worker.on('error', (error) => {
      this.failAll(worker, `the append worker failed: ${error.message}`);
    });
    worker.on('exit', (code) => {
      this.failAll(worker, `the append worker exited (${String(code)})`);
    });
    return worker;
  }

  private failAll(worker: Worker, reason: string): void {
    if (this.worker === worker) this.worker = undefined;
    for (const [id, commit] of this.pending) {
      if (commit.worker !== worker) continue;
      this.pending.delete(id);
      commit.reject(new StoreUnavailableError(reason));
    }
  }
}
