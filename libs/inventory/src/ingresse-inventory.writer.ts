import type { Database, Statement } from 'better-sqlite3';
import { compareSnapshots, type SnapshotOrder, type TicketTypeReported } from '#ledger';
import { ticketTypeContribution } from './inventory.rules.js';
import type { InventoryTables } from './inventory.schema.js';

interface TicketTypeRow {
  id: number;
  event_id: number;
  type: string;
  parent_id: number | null;
  quantity: number;
  archived: number | null;
  sender_time: string;
  rank: number;
  hash: string;
  contribution: number;
  contribution_event: number | null;
}

/** An Ingresse ticket type's own webhook beats an embedded copy sent at the same time. */
const RANK = { own: 1, embedded: 0 } as const;

const flag = (value: boolean | null): number | null => (value === null ? null : Number(value));

/**
 * The Ingresse part of the inventory projection. Each ticket type keeps its newest
 * snapshot across its own webhooks and the copies embedded in its group's; its share of
 * its event's `totalQuantity` is stored on its row and recomputed, for the types a batch
 * touched (with their groups and children), from the newest snapshots only; the event
 * totals move by difference.
 */
export class IngresseInventoryWriter {
  private readonly touchedEvents = new Set<number>();
  private readonly dirty = new Set<number>();
  private readonly ensureEvent: Statement<[number]>;
  private readonly selectType: Statement<[number], TicketTypeRow>;
  private readonly upsertType: Statement<Record<string, string | number | null>>;
  private readonly selectChildren: Statement<[number], { id: number }>;
  private readonly childrenQuantity: Statement<[number], { quantity: number }>;
  private readonly updateContribution: Statement<[number, number, number]>;
  private readonly addTotal: Statement<[number, number]>;

  constructor(db: Database, tables: InventoryTables) {
    const { ticketTypes, ingresseEvents } = tables;
    this.ensureEvent = db.prepare(
      `INSERT INTO ${ingresseEvents} (event_id) VALUES (?) ON CONFLICT DO NOTHING`,
    );
    this.selectType = db.prepare(
      `SELECT id, event_id, type, parent_id, quantity, archived, sender_time, rank, hash,
              contribution, contribution_event
         FROM ${ticketTypes} WHERE id = ?`,
    );
    this.upsertType = db.prepare(
      `INSERT INTO ${ticketTypes} (id, event_id, name, type, parent_id, quantity, price,
         final_price, available, hidden, archived, salable, event_dates, reported_at,
         sender_time, rank, hash)
       VALUES (@id, @eventId, @name, @type, @parentId, @quantity, @price, @finalPrice,
         @available, @hidden, @archived, @salable, @eventDates, @reportedAt, @senderTime,
         @rank, @hash)
       ON CONFLICT DO UPDATE SET event_id = excluded.event_id, name = excluded.name,
         type = excluded.type, parent_id = excluded.parent_id, quantity = excluded.quantity,
         price = excluded.price, final_price = excluded.final_price,
         available = excluded.available, hidden = excluded.hidden,
         archived = excluded.archived, salable = excluded.salable,
         event_dates = excluded.event_dates, reported_at = excluded.reported_at,
         sender_time = excluded.sender_time, rank = excluded.rank, hash = excluded.hash`,
    );
    this.selectChildren = db.prepare(`SELECT id FROM ${ticketTypes} WHERE parent_id = ?`);
    this.childrenQuantity = db.prepare(
      `SELECT coalesce(sum(quantity), 0) AS quantity FROM ${ticketTypes}
        WHERE parent_id = ? AND type = 'Ticket' AND coalesce(archived, 0) = 0`,
    );
    this.updateContribution = db.prepare(
      `UPDATE ${ticketTypes} SET contribution = ?, contribution_event = ? WHERE id = ?`,
    );
    this.addTotal = db.prepare(
      `UPDATE ${ingresseEvents} SET total_quantity = total_quantity + ? WHERE event_id = ?`,
    );
  }

  reported(data: TicketTypeReported): void {
    this.touchEvent(data.eventId);
    const candidate: SnapshotOrder = {
      senderTime: data.senderTime,
      rank: RANK[data.source],
      hash: data.hash,
    };
    const row = this.selectType.get(data.id);
    if (
      row !== undefined &&
      compareSnapshots(candidate, {
        senderTime: row.sender_time,
        rank: row.rank,
        hash: row.hash,
      }) <= 0
    ) {
      return;
    }
    this.upsertType.run({
      id: data.id,
      eventId: data.eventId,
      name: data.name,
      type: data.type,
      parentId: data.parentId,
      quantity: data.quantity,
      price: data.price,
      finalPrice: data.finalPrice,
      available: flag(data.available),
      hidden: flag(data.hidden),
      archived: flag(data.archived),
      salable: flag(data.salable),
      eventDates: JSON.stringify(data.eventDates),
      reportedAt: data.reportedAt,
      senderTime: data.senderTime,
      rank: candidate.rank ?? 0,
      hash: data.hash,
    });
    this.dirty.add(data.id);
    // Its groups' sums change with it (the one it left and the one it joined).
    if (row !== undefined && row.parent_id !== null) this.dirty.add(row.parent_id);
    if (data.parentId !== null) this.dirty.add(data.parentId);
  }

  /** Forgets pending work: called before each batch, so a rolled-back batch leaves nothing behind. */
  reset(): void {
    this.dirty.clear();
    this.touchedEvents.clear();
  }

  flush(): void {
    const recompute = new Set(this.dirty);
    // A group appearing, changing type or going away regroups its children.
    for (const id of this.dirty) {
      for (const child of this.selectChildren.all(id)) recompute.add(child.id);
    }
    const totals = new Map<number, number>();
    const add = (eventId: number | null, delta: number) => {
      if (eventId !== null && delta !== 0) totals.set(eventId, (totals.get(eventId) ?? 0) + delta);
    };
    for (const id of recompute) {
      const row = this.selectType.get(id);
      if (row === undefined) continue;
      const parent = row.parent_id === null ? undefined : this.selectType.get(row.parent_id);
      const contribution = ticketTypeContribution({
        type: row.type,
        quantity: row.quantity,
        archived: row.archived === 1,
        inGroup: parent?.type === 'Group',
        childrenQuantity: row.type === 'Group' ? (this.childrenQuantity.get(id)?.quantity ?? 0) : 0,
      });
      if (contribution === row.contribution && row.event_id === row.contribution_event) continue;
      this.updateContribution.run(contribution, row.event_id, id);
      add(row.contribution_event, -row.contribution);
      add(row.event_id, contribution);
    }
    for (const [eventId, delta] of totals) this.addTotal.run(delta, eventId);
    this.reset();
  }

  /** Any ticket type naming an event makes it known, even a superseded copy. */
  private touchEvent(eventId: number): void {
    if (this.touchedEvents.has(eventId)) return;
    this.ensureEvent.run(eventId);
    this.touchedEvents.add(eventId);
  }
}
