import type { AppendOutcome, AppendRequest } from './sqlite-committer.js';

/** What the append worker is started with. */
export interface AppendWorkerData {
  readonly file: string;
}

export type ToAppendWorker =
  | { readonly type: 'commit'; readonly id: number; readonly requests: readonly AppendRequest[] }
  /** Can the writer take the write lock? Answered by `checked`. */
  | { readonly type: 'check'; readonly id: number }
  | { readonly type: 'close' };

export type FromAppendWorker =
  | { readonly type: 'committed'; readonly id: number; readonly outcomes: AppendOutcome[] }
  /** The whole commit failed (nothing written); `code` is SQLite's (`SQLITE_BUSY`, …). */
  | {
      readonly type: 'failed';
      readonly id: number;
      readonly message: string;
      readonly code?: string;
    }
  /** `problem` says why the write lock could not be taken; absent when it could. */
  | { readonly type: 'checked'; readonly id: number; readonly problem?: string };
