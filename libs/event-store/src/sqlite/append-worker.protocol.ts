import type { AppendOutcome, AppendRequest } from './sqlite-committer.js';

/** What the append worker is started with. */
export interface AppendWorkerData {
  readonly file: string;
}

export type ToAppendWorker =
  | { readonly type: 'commit'; readonly id: number; readonly requests: readonly AppendRequest[] }
  | { readonly type: 'close' };

export type FromAppendWorker =
  | { readonly type: 'committed'; readonly id: number; readonly outcomes: AppendOutcome[] }
  /** The whole commit failed (nothing written); `code` is SQLite's (`SQLITE_BUSY`, …). */
  | {
      readonly type: 'failed';
      readonly id: number;
      readonly message: string;
      readonly code?: string;
    };
