import type { JsonObject, RecordedEvent } from '#event-store';

/**
 * Turns the stored data of one event type from `fromVersion` into `fromVersion + 1`.
 * Stored events are never rewritten: readers upcast them on the way in.
 */
export interface EventUpcaster {
  readonly eventType: string;
  readonly fromVersion: number;
  upcast(data: JsonObject): JsonObject;
}

/** Where an event records the version of its data's shape (absent: version 1). */
export const SCHEMA_VERSION = 'schemaVersion';

/**
 * The upcasters of every event type, chained: a v1 event read today passes through
 * v1→v2, v2→v3, … up to the current version of its type.
 */
export class UpcasterRegistry {
  private readonly chains = new Map<string, EventUpcaster[]>();

  constructor(upcasters: readonly EventUpcaster[]) {
    for (const upcaster of upcasters) {
      const chain = this.chains.get(upcaster.eventType) ?? [];
      chain.push(upcaster);
      this.chains.set(upcaster.eventType, chain);
    }
    for (const [type, chain] of this.chains) {
      chain.sort((a, b) => a.fromVersion - b.fromVersion);
      chain.forEach((upcaster, index) => {
        if (upcaster.fromVersion !== index + 1) {
          throw new Error(`upcasters of ${type} must go 1→2→3… without gaps`);
        }
      });
    }
  }

  /** The version writers stamp on new events of a type. */
  currentVersion(eventType: string): number {
    return (this.chains.get(eventType)?.length ?? 0) + 1;
  }

  /** The event in its type's current shape (the same object when it already is). */
  upcast(event: RecordedEvent): RecordedEvent {
    const chain = this.chains.get(event.type);
    if (!chain) return event;
    const stored = event.metadata[SCHEMA_VERSION];
    let version = typeof stored === 'number' ? stored : 1;
    if (version > chain.length) return event;
    let data = event.data;
    for (; version <= chain.length; version += 1) {
      const upcaster = chain[version - 1];
      if (upcaster) data = upcaster.upcast(data);
    }
    return { ...event, data, metadata: { ...event.metadata, [SCHEMA_VERSION]: version } };
  }
}

/**
 * TicketCheckedIn v2 states `gate` and `deviceId` explicitly (null when COPE sent
 * none) instead of leaving them out, so readers never confuse "absent" with "unknown".
 */
export const ticketCheckedInV1ToV2: EventUpcaster = {
  eventType: 'TicketCheckedIn',
  fromVersion: 1,
  upcast: (data) => ({ ...data, gate: data['gate'] ?? null, deviceId: data['deviceId'] ?? null }),
};

/** Every upcaster of the ledger's events. */
export const ledgerUpcasters = new UpcasterRegistry([ticketCheckedInV1ToV2]);
