import { canonicalJsonSha256, uuidV5, type Provider } from '#ledger';

/** How one delivery is recognised when it comes again (intake.md, "Deduplication keys"). */
export interface DeliveryIdentity {
  /** Names the delivery in its event ids: COPE `source`+`id`, otherwise the body hash. */
  readonly deliveryKey: string;
  /** Unique keys an applied delivery claims: any one already claimed makes it a duplicate. */
  readonly keys: readonly string[];
  /**
   * The key a parked copy claims. Parked deliveries do not claim `keys`: a COPE
   * delivery that reuses a parked one's `source`+`id` with another body is validated
   * afresh, and a successful reprocess still claims `keys` afterwards.
   */
  readonly parkedKey: string;
  /** RFC 8785 canonical-JSON SHA-256 of the message. */
  readonly canonicalHash: string;
}

const keyOf = (provider: Provider, name: string) => `dedup-${provider}.${uuidV5(name)}`;

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/**
 * COPE: `source`+`id` and, when present, `idempotency_key` (either one seen makes a
 * duplicate, whichever stream it would go to). LTD and Ingresse publish no ids: the
 * canonical-JSON hash of the whole body, so a re-serialised copy is a duplicate too.
 */
export function deliveryIdentity(provider: Provider, message: unknown): DeliveryIdentity {
  // COPE keys need no body hash: it is computed only if the delivery is parked.
  let hash: string | undefined;
  const canonicalHash = () => (hash ??= canonicalJsonSha256(message));
  const keys: string[] = [];
  let deliveryKey: string | undefined;
  if (provider === 'cope' && typeof message === 'object' && message !== null) {
    const { source, id, idempotency_key: idempotencyKey } = message as Record<string, unknown>;
    if (nonEmptyString(source) && nonEmptyString(id)) {
      deliveryKey = `cope\u0000source-id\u0000${source}\u0000${id}`;
      keys.push(keyOf(provider, deliveryKey));
    }
    if (nonEmptyString(idempotencyKey)) {
      keys.push(keyOf(provider, `cope\u0000idempotency-key\u0000${idempotencyKey}`));
    }
  }
  if (deliveryKey === undefined) {
    deliveryKey = `${provider}\u0000hash\u0000${canonicalHash()}`;
    if (keys.length === 0 || provider !== 'cope') keys.unshift(keyOf(provider, deliveryKey));
  }
  const key = deliveryKey;
  return {
    deliveryKey: key,
    keys,
    get parkedKey() {
      return keyOf(provider, `parked\u0000${key}\u0000${canonicalHash()}`);
    },
    get canonicalHash() {
      return canonicalHash();
    },
  };
}
