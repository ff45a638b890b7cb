import { setImmediate as nextTurn } from 'node:timers/promises';
import type { EventStore, JsonObject, JsonValue, RecordedEvent } from '#event-store';
import {
  AUDIT_CHECKPOINTS_STREAM,
  PROVIDERS,
  type ContractViolation,
  type ParkReason,
  type Provider,
} from '#ledger';
import {
  ParkedDeliveriesView,
  receivedBytes,
  sha256Hex,
  type ParkedDelivery,
  type Redeliveries,
} from '#webhook-intake';
import { auditEvent, type AuditEvent } from './audit-event.js';
import type { AuditIndex } from './audit-index.queries.js';
import { verifyIntegrity, type IntegrityReport } from './integrity-verifier.js';

export interface StreamHistory {
  readonly streamId: string;
  /** Oldest first. */
  readonly events: AuditEvent[];
  /** `fromRevision` of the next page; null at the end of the stream. */
  readonly next: number | null;
}

export interface LogPage {
  readonly events: AuditEvent[];
  /** `afterPosition` of the next page; null once the end of the log was reached. */
  readonly next: number | null;
}

export interface TicketHistory {
  readonly ticketId: string;
  /** Every stream recording the code, in the order they first did, each in full. */
  readonly streams: { readonly streamId: string; readonly events: AuditEvent[] }[];
}

/** What became of a delivery. */
export interface ReceiptOutcome {
  /** `reprocessed`: accepted when a parked delivery was run again (`reprocessOf`). */
  readonly status: 'accepted' | 'parked' | 'reprocessed';
  readonly parkedReason?: ParkReason;
  readonly errors?: readonly ContractViolation[];
  readonly reprocessOf?: string;
  /** Parked: whether a reprocessing accepted it (or found it a duplicate). */
  readonly resolved?: boolean;
  /** Parked: every reprocessing attempt, oldest first (the `ParkedDeliveryReprocessed` records). */
  readonly reprocessing?: AuditEvent[];
}

export interface ReceiptAnswer {
  readonly receiptId: string;
  readonly streamId: string;
  readonly revision: number;
  readonly position: number;
  readonly recordedAt: string;
  readonly provider: string;
  readonly messageType: string | null;
  readonly receivedAt: string;
  readonly signatureVerified: boolean;
  readonly headers: JsonObject;
  readonly deduplicationKeys: JsonValue[];
  /** The body as received: the text itself (`utf8`) or its bytes in base64. */
  readonly rawBody: string;
  readonly rawBodyEncoding: 'utf8' | 'base64';
  readonly sha256: string;
  /** Whether the SHA-256 of the kept bytes is still `sha256`. */
  readonly sha256Matches: boolean;
  readonly batch?: JsonObject;
  readonly outcome: ReceiptOutcome;
  readonly redeliveries: { readonly count: number; readonly lastSeen: string | null };
  /** The events it caused (metadata.causationId), as stored. */
  readonly events: AuditEvent[];
}

export interface ParkedFilter {
  readonly provider?: Provider;
  readonly reason?: ParkReason;
  readonly limit: number;
  /** Position of the last parked delivery of the previous page. */
  readonly after?: number;
}

export interface ParkedPage {
  readonly items: ParkedDelivery[];
  readonly next: number | null;
}

export interface CheckpointPage {
  /** The `audit-checkpoints` events as stored, oldest first: archive them as they are. */
  readonly items: AuditEvent[];
  /** `after` of the next page (a revision); null at the end. */
  readonly next: number | null;
}

export interface AuditQueriesDependencies {
  readonly store: EventStore;
  /** The audit read model's lookups, bound to its live build when called. */
  readonly index: () => AuditIndex;
  /** Redelivery counters (DATA_DIR/intake.sqlite); counted as none when absent. */
  readonly redeliveries?: { of(receiptId: string): Redeliveries };
}

const STREAM_PAGE = 1000;
const SCAN_PAGE = 1000;
const EXPORT_PAGE = 500;

/**
 * The audit reads (api.md, "Audit"). Events always come from the store as stored;
 * the audit read model only says where to look.
 */
export class AuditQueries {
  private readonly parkedDeliveries: ParkedDeliveriesView;

  constructor(private readonly dependencies: AuditQueriesDependencies) {
    this.parkedDeliveries = new ParkedDeliveriesView(dependencies.store);
  }

  /** A stream's events from `fromRevision`, oldest first; undefined when the stream does not exist. */
  async stream(
    streamId: string,
    page: { readonly fromRevision: number; readonly limit: number },
  ): Promise<StreamHistory | undefined> {
    const { store } = this.dependencies;
    const read = await store.readStream(streamId, {
      fromRevision: page.fromRevision,
      limit: page.limit + 1,
    });
    if (read.length === 0) {
      const [last] = await store.readStream(streamId, { direction: 'backwards', limit: 1 });
      if (!last) return undefined;
    }
    const events = read.slice(0, page.limit).map(auditEvent);
    const last = events[events.length - 1];
    return { streamId, events, next: read.length > page.limit && last ? last.revision + 1 : null };
  }

  /**
   * The global log after `afterPosition`, in commit order. With `type`, pages of the
   * log are read until `limit` events of that type were found or the log ends: the
   * cost is the number of events scanned, not found — a rare type over a long log
   * reads all of it (in pages of 1000, yielding between them).
   */
  async log(page: {
    readonly afterPosition: number;
    readonly limit: number;
    readonly type?: string;
  }): Promise<LogPage> {
    const { store } = this.dependencies;
    if (page.type === undefined) {
      const read = await store.readAll({
        afterPosition: page.afterPosition,
        limit: page.limit + 1,
      });
      const events = read.slice(0, page.limit).map(auditEvent);
      const last = events[events.length - 1];
      return { events, next: read.length > page.limit && last ? last.position : null };
    }
    const events: AuditEvent[] = [];
    let after = page.afterPosition;
    for (;;) {
      const read = await store.readAll({ afterPosition: after, limit: SCAN_PAGE });
      for (const [index, event] of read.entries()) {
        if (event.type !== page.type) continue;
        events.push(auditEvent(event));
        if (events.length === page.limit) {
          const endOfLog = read.length < SCAN_PAGE && index === read.length - 1;
          return { events, next: endOfLog ? null : event.position };
        }
      }
      const last = read[read.length - 1];
      if (!last || read.length < SCAN_PAGE) return { events, next: null };
      after = last.position;
      await nextTurn();
    }
  }

  /** Every stream recording a ticket code, each with its full history; undefined when none does. */
  async ticket(ticketId: string): Promise<TicketHistory | undefined> {
    const streamIds = this.dependencies.index().ticketStreams(ticketId);
    if (streamIds.length === 0) return undefined;
    const streams: TicketHistory['streams'] = [];
    for (const streamId of streamIds) {
      streams.push({ streamId, events: (await this.wholeStream(streamId)).map(auditEvent) });
    }
    return { ticketId, streams };
  }

  /** A delivery as received, what became of it, and the events it caused. */
  async receipt(receiptId: string): Promise<ReceiptAnswer | undefined> {
    const { store } = this.dependencies;
    const index = this.dependencies.index();
    const indexed = index.receipt(receiptId);
    if (!indexed) return undefined;
    const [event] = await store.readStream(indexed.streamId, {
      fromRevision: indexed.revision,
      limit: 1,
    });
    if (event?.id !== receiptId || event.type !== 'WebhookReceived') return undefined;

    const caused: AuditEvent[] = [];
    for (const range of index.caused(receiptId)) {
      const read = await store.readStream(range.streamId, {
        fromRevision: range.fromRevision,
        limit: range.toRevision - range.fromRevision + 1,
      });
      for (const candidate of read) {
        if (candidate.metadata['causationId'] === receiptId) caused.push(auditEvent(candidate));
      }
    }
    const reprocessing: AuditEvent[] = [];
    for (const reference of index.reprocessing(receiptId)) {
      const [record] = await store.readStream(reference.streamId, {
        fromRevision: reference.revision,
        limit: 1,
      });
      if (record?.type === 'ParkedDeliveryReprocessed') reprocessing.push(auditEvent(record));
    }

    const { data } = event;
    const rawBody = text(data['rawBody']) ?? '';
    const rawBodyEncoding = data['rawBodyEncoding'] === 'base64' ? 'base64' : 'utf8';
    const sha256 = text(data['sha256']) ?? '';
    const redeliveries = this.dependencies.redeliveries?.of(receiptId);
    const batch = data['batch'];
    return {
      receiptId,
      streamId: event.streamId,
      revision: event.revision,
      position: event.position,
      recordedAt: event.recordedAt,
      provider: text(data['provider']) ?? '',
      messageType: text(data['messageType']),
      receivedAt: text(data['receivedAt']) ?? '',
      signatureVerified: data['signatureVerified'] === true,
      headers: object(data['headers']) ?? {},
      deduplicationKeys: Array.isArray(data['deduplicationKeys']) ? data['deduplicationKeys'] : [],
      rawBody,
      rawBodyEncoding,
      sha256,
      sha256Matches: sha256Hex(receivedBytes({ rawBody, rawBodyEncoding })) === sha256,
      ...(object(batch) ? { batch: object(batch) } : {}),
      outcome: outcomeOf(data, reprocessing),
      redeliveries: {
        count: redeliveries?.count ?? 0,
        lastSeen: redeliveries?.lastSeenAt ?? null,
      },
      events: caused,
    };
  }

  /**
   * Parked deliveries (the `parked-<provider>` streams, read through the parked log),
   * oldest first, with why and what became of them. The log stays the only source; the
   * view folds only what each stream gained since the previous read.
   */
  async parked(filter: ParkedFilter): Promise<ParkedPage> {
    const providers = filter.provider ? [filter.provider] : PROVIDERS;
    const after = filter.after ?? 0;
    const all = (await this.parkedDeliveries.read(providers))
      .filter(
        (delivery) =>
          delivery.position > after &&
          (filter.reason === undefined || delivery.reason === filter.reason),
      )
      .sort((a, b) => a.position - b.position);
    const items = all.slice(0, filter.limit);
    const last = items[items.length - 1];
    return { items, next: all.length > filter.limit && last ? last.position : null };
  }

  /** The integrity checkpoints as stored, oldest first. */
  async checkpoints(page: {
    readonly after?: number;
    readonly limit: number;
  }): Promise<CheckpointPage> {
    const read = await this.dependencies.store.readStream(AUDIT_CHECKPOINTS_STREAM, {
      fromRevision: page.after === undefined ? 0 : page.after + 1,
      limit: page.limit + 1,
    });
    const items = read.slice(0, page.limit).map(auditEvent);
    const last = items[items.length - 1];
    return { items, next: read.length > page.limit && last ? last.revision : null };
  }

  /**
   * The log from `fromPosition` to `toPosition` (both inclusive), one page at a time:
   * the caller writes each page before the next is read, so nothing buffers the log.
   */
  async *export(range: {
    readonly fromPosition: number;
    readonly toPosition?: number;
  }): AsyncGenerator<AuditEvent[]> {
    let after = Math.max(0, range.fromPosition - 1);
    for (;;) {
      const read = await this.dependencies.store.readAll({
        afterPosition: after,
        limit: EXPORT_PAGE,
      });
      const inRange =
        range.toPosition === undefined
          ? read
          : read.filter((event) => event.position <= (range.toPosition ?? Infinity));
      if (inRange.length > 0) yield inRange.map(auditEvent);
      const last = read[read.length - 1];
      if (!last || read.length < EXPORT_PAGE || inRange.length < read.length) return;
      if (range.toPosition !== undefined && last.position >= range.toPosition) return;
      after = last.position;
    }
  }

  verify(options: { readonly streamId?: string }): Promise<IntegrityReport> {
    return verifyIntegrity(this.dependencies.store, options);
  }

  private async wholeStream(streamId: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for (let from = 0; ;) {
      const page = await this.dependencies.store.readStream(streamId, {
        fromRevision: from,
        limit: STREAM_PAGE,
      });
      events.push(...page);
      const last = page[page.length - 1];
      if (!last || page.length < STREAM_PAGE) return events;
      from = last.revision + 1;
    }
  }
}

function outcomeOf(data: JsonObject, reprocessing: AuditEvent[]): ReceiptOutcome {
  const reprocessOf = text(data['reprocessOf']);
  if (data['outcome'] === 'parked') {
    const reason = text(data['parkedReason']) as ParkReason | null;
    const errors = data['errors'];
    return {
      status: 'parked',
      parkedReason: reason ?? 'contract_violation',
      errors: Array.isArray(errors) ? (errors as unknown as ContractViolation[]) : [],
      resolved: reprocessing.some(
        (record) => record.data['outcome'] === 'accepted' || record.data['outcome'] === 'duplicate',
      ),
      reprocessing,
    };
  }
  if (reprocessOf !== null) return { status: 'reprocessed', reprocessOf };
  return { status: 'accepted' };
}

function text(value: JsonValue | undefined): string | null {
  return typeof value === 'string' ? value : null;
}

function object(value: JsonValue | undefined): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
}
