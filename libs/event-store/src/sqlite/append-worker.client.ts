import { Worker } from 'node:worker_threads';
import { StoreUnavailableError } from '../event-store.errors.js';
import type {
  AppendWorkerData,
  FromAppendWorker,
  ToAppendWorker,
} from './append-worker.protocol.js';
import type { AppendOutcome, AppendRequest } from './sqlite-committer.js';

/** A message sent to the worker, settled by its answer. */
interface PendingReply {
  readonly worker: Worker;
  readonly settle: (reply: FromAppendWorker) => void;
  readonly fail: (error: Error) => void;
}

/**
 * Sends group commits to the append worker (`sqlite-append.worker.js`) and settles them
 * from its answers. A worker that dies (its file could not be opened, say) fails the
 * commits it held with `StoreUnavailableError`; the next commit starts a new one, so
 * the store recovers by itself once the cause is gone.
 */
export class AppendWorkerClient {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, PendingReply>();
  private nextId = 1;

  constructor(
    private readonly script: string | URL,
    private readonly data: AppendWorkerData,
  ) {}

  commit(requests: readonly AppendRequest[]): Promise<AppendOutcome[]> {
    return new Promise<AppendOutcome[]>((resolve, reject) => {
      this.send((id) => ({ type: 'commit', id, requests }), {
        settle: (reply) => {
          if (reply.type === 'committed') resolve(reply.outcomes);
          else if (reply.type === 'failed') {
            reject(Object.assign(new Error(reply.message), { code: reply.code }));
          }
        },
        fail: reject,
      });
    });
  }

  /**
   * Whether the writer can take the write lock: asked of the worker, so that a lock held
   * elsewhere makes the worker wait out the busy timeout, never the caller's event loop.
   * Undefined when it can; otherwise why not.
   */
  check(): Promise<string | undefined> {
    return new Promise<string | undefined>((resolve) => {
      this.send((id) => ({ type: 'check', id }), {
        settle: (reply) => {
          if (reply.type === 'checked') resolve(reply.problem);
        },
        fail: (error) => {
          resolve(error.message);
        },
      });
    });
  }

  private send(message: (id: number) => ToAppendWorker, reply: Omit<PendingReply, 'worker'>): void {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    this.pending.set(id, { worker, ...reply });
    // Held only while answers are outstanding: an idle writer keeps no process alive.
    worker.ref();
    worker.postMessage(message(id));
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
    // Held until it has closed its connection: an idle worker is unref'd, and the process
    // would otherwise end here, cutting the rest of its shutdown short.
    worker.ref();
    worker.postMessage({ type: 'close' } satisfies ToAppendWorker);
    await exited;
  }

  private start(): Worker {
    const worker = new Worker(this.script, { workerData: this.data });
    this.worker = worker;
    worker.on('message', (message: FromAppendWorker) => {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      if (![...this.pending.values()].some((other) => other.worker === worker)) worker.unref();
      pending.settle(message);
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
    for (const [id, pending] of this.pending) {
      if (pending.worker !== worker) continue;
      this.pending.delete(id);
      pending.fail(new StoreUnavailableError(reason));
    }
  }
}
