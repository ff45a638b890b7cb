/** Messages between the API's main thread and its projection worker thread. */

export interface ProjectionWorkerData {
  readonly dataDir: string;
  readonly eventStoreConnectionString: string | undefined;
}

export type ToProjectionWorker =
  /** The main thread committed appends (embedded store): wake the subscriptions. */
  | { readonly type: 'appended' }
  /** The builds changed (a rebuild was requested): look at them now. */
  | { readonly type: 'sync' }
  | { readonly type: 'stop' };

export type FromProjectionWorker =
  | { readonly type: 'started' }
  /** A batch was committed: checkpoints moved. */
  | { readonly type: 'progress' }
  | { readonly type: 'failure'; readonly projection: string; readonly message: string }
  | { readonly type: 'stopped' };
