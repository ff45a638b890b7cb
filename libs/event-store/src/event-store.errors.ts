import type { ExpectedRevision } from './event-store.port.js';

/** The stream was not at the revision the writer expected: reload and decide again. */
export class WrongExpectedVersionError extends Error {
  override readonly name = 'WrongExpectedVersionError';

  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual last revision, or 'no_stream'. */
    readonly actual: number | 'no_stream',
  ) {
    super(`Stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
  }
}

/** A unique key of the append was already claimed by another append. */
export class UniqueKeyViolationError extends Error {
  override readonly name = 'UniqueKeyViolationError';

  constructor(
    readonly key: string,
    readonly owner: { readonly streamId: string; readonly revision: number },
  ) {
    super(`Unique key ${key} already claimed by ${owner.streamId}@${owner.revision}`);
  }
}

/** The store cannot serve right now (locked, read-only, unreachable): retry later. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

/** The store was closed; no more operations are accepted. */
export class StoreClosedError extends Error {
  override readonly name = 'StoreClosedError';

  constructor() {
    super('The event store is closed');
  }
}
