import { LruCache, type ContractViolation, type ParkReason } from '#ledger';

/** What a redelivery is answered from: its first receipt's id and outcome. */
export interface ReceiptAnswer {
  readonly receiptId: string;
  readonly outcome: 'accepted' | 'parked';
  readonly parkedReason?: ParkReason;
  readonly errors?: readonly ContractViolation[];
}

/**
 * The receipts this process wrote last, by the place their keys point to (stream and
 * revision), so that a provider's retry of a recent delivery — the usual redelivery —
 * is answered without reading its receipt back from the store. Least recently used
 * entries go first; a miss reads the store as before.
 */
export class RecentReceipts {
  private readonly answers: LruCache<string, ReceiptAnswer>;

  constructor(capacity = 20_000) {
    this.answers = new LruCache(capacity);
  }

  remember(streamId: string, revision: number, answer: ReceiptAnswer): void {
    this.answers.set(place(streamId, revision), answer);
  }

  find(streamId: string, revision: number): ReceiptAnswer | undefined {
    return this.answers.get(place(streamId, revision));
  }
}

const place = (streamId: string, revision: number) => `${streamId}@${String(revision)}`;
