import type { ContractViolation, ParkReason } from '#ledger';

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
  private readonly answers = new Map<string, ReceiptAnswer>();

  constructor(private readonly capacity = 20_000) {}

  remember(streamId: string, revision: number, answer: ReceiptAnswer): void {
    const place = `${streamId}@${String(revision)}`;
    this.answers.delete(place);
    this.answers.set(place, answer);
    if (this.answers.size > this.capacity) {
      const oldest = this.answers.keys().next();
      if (!oldest.done) this.answers.delete(oldest.value);
    }
  }

  find(streamId: string, revision: number): ReceiptAnswer | undefined {
    return this.answers.get(`${streamId}@${String(revision)}`);
  }
}
