import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { LruCache, normaliseSenderTime } from '#ledger';
import { AttendanceQueries, type AttendanceAnswer } from '#attendance';
import { DeliveryQueries, type CopeDelivery, type LtdDelivery } from '#delivery';
import {
  InventoryQueries,
  type CopeInventory,
  type IngresseInventory,
  type LtdInventory,
} from '#inventory';
import type { Discrepancy, DiscrepancyFilter, DiscrepancyPage } from '#projections';
import type { ReadModels } from '#read-models';
import { TicketQueries, type TicketAnswer } from '#tickets';
import { READ_MODELS } from './read-models.tokens.js';

/** A reconciled read: which read model answers it, and how. */
type Read<T> = (readModels: ReadModels) => T;

const attendance = (readModels: ReadModels) =>
  readModels.queries('attendance', (db, table) => new AttendanceQueries(db, table));
const tickets = (readModels: ReadModels) =>
  readModels.queries('tickets', (db, table) => new TicketQueries(db, table));
const delivery = (readModels: ReadModels) =>
  readModels.queries('delivery', (db, table) => new DeliveryQueries(db, table));
const inventory = (readModels: ReadModels) =>
  readModels.queries('inventory', (db, table) => new InventoryQueries(db, table));

/** The read models whose discrepancies `/discrepancies` lists (tickets repeats attendance's). */
export const DISCREPANCY_SOURCES = ['attendance', 'delivery', 'inventory'] as const;

/** A query of the reconciled reads: the projections it joins and what it reads. */
export class ReconciledRead<T> extends Query<T> {
  constructor(
    readonly projections: readonly string[],
    readonly read: Read<T>,
    /** Names the answer, for reads worth caching (a large answer polled often). */
    readonly cacheKey?: string,
  ) {
    super();
  }

  /** Cached: an event's attendance is polled by dashboards and carries up to 100 discrepancies. */
  static attendance(eventId: string): ReconciledRead<AttendanceAnswer | undefined> {
    return new ReconciledRead(
      ['attendance'],
      (models) => attendance(models).event(eventId),
      `attendance\u0000${eventId}`,
    );
  }

  /** The ticket ledger's answer, with the delivery discrepancies about the code joined in. */
  static ticket(ticketId: string): ReconciledRead<TicketAnswer | undefined> {
    return new ReconciledRead(['tickets', 'delivery'], (models) => {
      const ticket = tickets(models).ticket(ticketId);
      if (!ticket) return undefined;
      const discrepancies = [
        ...ticket.discrepancies,
        ...delivery(models).ticketDiscrepancies(ticketId),
      ].sort(
        (a, b) =>
          compare(normaliseSenderTime(a.since), normaliseSenderTime(b.since)) ||
          compare(a.id, b.id),
      );
      return { ...ticket, discrepancies };
    });
  }

  static copeDelivery(ticketId: string): ReconciledRead<CopeDelivery | undefined> {
    return new ReconciledRead(['delivery'], (models) => delivery(models).cope(ticketId));
  }

  static ltdDelivery(bookingReference: string): ReconciledRead<LtdDelivery | undefined> {
    return new ReconciledRead(['delivery'], (models) => delivery(models).ltd(bookingReference));
  }

  static copeInventory(eventId: string): ReconciledRead<CopeInventory | undefined> {
    return new ReconciledRead(['inventory'], (models) => inventory(models).cope(eventId));
  }

  static ltdInventory(performanceId: number): ReconciledRead<LtdInventory | undefined> {
    return new ReconciledRead(['inventory'], (models) => inventory(models).ltd(performanceId));
  }

  static ingresseInventory(eventId: number): ReconciledRead<IngresseInventory | undefined> {
    return new ReconciledRead(['inventory'], (models) => inventory(models).ingresse(eventId));
  }

  /** Every open discrepancy, merged by id from each read model's own (indexed) list. */
  static discrepancies(filter: DiscrepancyFilter): ReconciledRead<DiscrepancyPage> {
    return new ReconciledRead([...DISCREPANCY_SOURCES], (models) => {
      // One more than a page from each: enough to know whether a next page exists.
      const probe = { ...filter, limit: filter.limit + 1 };
      const merged: Discrepancy[] = [
        ...attendance(models).discrepancies(probe).items,
        ...delivery(models).discrepancies(probe).items,
        ...inventory(models).discrepancies(probe).items,
      ].sort((a, b) => compare(a.id, b.id));
      const items = merged.slice(0, filter.limit);
      const last = items[items.length - 1];
      return { items, next: merged.length > filter.limit && last ? last.id : null };
    });
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Answers kept for reads that name theirs (one per name); the least recently used go first. */
const CACHED_ANSWERS = 512;

@QueryHandler(ReconciledRead)
export class ReconciledReadHandler implements IQueryHandler<ReconciledRead<unknown>> {
  private readonly answers = new LruCache<
    string,
    { readonly state: string; readonly answer: unknown }
  >(CACHED_ANSWERS);

  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  /**
   * A cacheable read is answered again from memory while its read models stand where
   * they stood (same live builds, same checkpoints): the answer cannot have changed.
   * Under ingest the checkpoints move every few milliseconds, so a polled answer is
   * rebuilt at most once per batch applied, not once per request. Only the newest
   * answer of each name is kept.
   */
  execute(query: ReconciledRead<unknown>): Promise<unknown> {
    const name = query.cacheKey;
    if (name === undefined) return Promise.resolve(query.read(this.readModels));
    const state = this.readModels.servingState(query.projections);
    const kept = this.answers.get(name);
    if (kept?.state === state) return Promise.resolve(kept.answer);
    const answer = query.read(this.readModels);
    this.answers.set(name, { state, answer });
    return Promise.resolve(answer);
  }
}
