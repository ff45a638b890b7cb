import type { EventStore } from '#event-store';
import {
  PROVIDERS,
  streamIds,
  type ContractViolation,
  type ParkedDeliveryReprocessed,
  type ParkReason,
  type Provider,
  type WebhookReceived,
} from '#ledger';

export interface ParkedDelivery {
  readonly receiptId: string;
  readonly provider: Provider;
  readonly messageType: string | null;
  readonly reason: ParkReason;
  readonly errors: readonly ContractViolation[];
  readonly receivedAt: string;
  readonly position: number;
  /** The last reprocessing attempt, if any; `accepted` or `duplicate` resolve it. */
  readonly lastAttempt?: Omit<ParkedDeliveryReprocessed, 'parkedReceiptId'>;
  readonly resolved: boolean;
}

const PAGE = 500;

/** Reads the parked log (`parked-<provider>` streams): what was parked, why, and what became of it. */
export async function readParkedDeliveries(
  store: EventStore,
  providers: readonly Provider[] = PROVIDERS,
): Promise<ParkedDelivery[]> {
  const parked: ParkedDelivery[] = [];
  for (const provider of providers) {
    const byReceipt = new Map<string, ParkedDelivery>();
    await foldParkedStream(store, provider, byReceipt, 0);
    parked.push(...byReceipt.values());
  }
  return parked;
}

/**
 * The parked log kept folded in memory by a long-lived reader (the audit routes): each
 * read folds only what was parked or reprocessed since the previous one, so that it costs
 * what changed, not every parked delivery ever. The streams are append-only.
 */
export class ParkedDeliveriesView {
  private readonly folded = new Map<
    Provider,
    { nextRevision: number; readonly byReceipt: Map<string, ParkedDelivery> }
  >();

  constructor(private readonly store: EventStore) {}

  async read(providers: readonly Provider[] = PROVIDERS): Promise<ParkedDelivery[]> {
    const parked: ParkedDelivery[] = [];
    for (const provider of providers) {
      let state = this.folded.get(provider);
      if (!state) {
        state = { nextRevision: 0, byReceipt: new Map() };
        this.folded.set(provider, state);
      }
      state.nextRevision = await foldParkedStream(
        this.store,
        provider,
        state.byReceipt,
        state.nextRevision,
      );
      parked.push(...state.byReceipt.values());
    }
    return parked;
  }
}

/** Folds one provider's parked stream from `fromRevision`; returns the revision to read next. */
async function foldParkedStream(
  store: EventStore,
  provider: Provider,
  byReceipt: Map<string, ParkedDelivery>,
  fromRevision: number,
): Promise<number> {
  for (let from = fromRevision; ;) {
    const page = await store.readStream(streamIds.parked(provider), {
      fromRevision: from,
      limit: PAGE,
    });
    for (const event of page) {
      if (event.type === 'WebhookReceived') {
        const receipt = event.data as unknown as WebhookReceived;
        byReceipt.set(event.id, {
          receiptId: event.id,
          provider,
          messageType: receipt.messageType,
          reason: receipt.parkedReason ?? 'contract_violation',
          errors: receipt.errors ?? [],
          receivedAt: receipt.receivedAt,
          position: event.position,
          resolved: false,
        });
      } else if (event.type === 'ParkedDeliveryReprocessed') {
        const { parkedReceiptId, ...attempt } = event.data as unknown as ParkedDeliveryReprocessed;
        const delivery = byReceipt.get(parkedReceiptId);
        if (delivery) {
          byReceipt.set(parkedReceiptId, {
            ...delivery,
            lastAttempt: attempt,
            resolved: attempt.outcome === 'accepted' || attempt.outcome === 'duplicate',
          });
        }
      }
      from = event.revision + 1;
    }
    if (page.length < PAGE) return from;
  }
}
