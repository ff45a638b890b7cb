/**
 * Snapshots (LTD TransactionChanged, PerformanceChanged, EventChanged, Ingresse
 * ticket, COPE event.published) are ordered by the sender's clock, compared at full
 * precision as normalised strings — never through a millisecond `Date` — with the
 * canonical-JSON hash as the tie-break, so the outcome never depends on arrival order.
 */

const DATE_TIME = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)?$/i;
const FRACTION_DIGITS = 12;

/**
 * `2024-03-05T08:26:11.1451352Z` → `2024-03-05T08:26:11.145135200000`: shifted to UTC
 * when it carries an offset, taken as it is when it has none (Ingresse posts local
 * times), fraction padded so that string order is time order.
 */
export function normaliseSenderTime(value: string): string {
  const match = DATE_TIME.exec(value.trim());
  if (!match) return value;
  const [, year, month, day, hour, minute, second, fraction = '', offset] = match;
  let wholeSeconds = `${year}-${month}-${day}T${hour}:${minute}:${second}`;
  if (offset && offset.toUpperCase() !== 'Z') {
    const sign = offset.startsWith('-') ? -1 : 1;
    const digits = offset.slice(1).replace(':', '');
    const offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
    const utc = Date.UTC(
      Number(year),
      Number(month) - 1,
      Number(day),
      Number(hour),
      Number(minute) - offsetMinutes,
      Number(second),
    );
    wholeSeconds = new Date(utc).toISOString().slice(0, 19);
  }
  return `${wholeSeconds}.${fraction.padEnd(FRACTION_DIGITS, '0')}`;
}

/** Where a snapshot stands in its subject's history. */
export interface SnapshotOrder {
  /** {@link normaliseSenderTime} of the sender's clock. */
  readonly senderTime: string;
  /** First tie-break: the higher rank is newer (an Ingresse ticket type's own webhook beats an embedded copy). */
  readonly rank?: number;
  /** Canonical-JSON SHA-256 of the snapshot, the last tie-break: snapshots are sorted by it, so the greater hash is newer. */
  readonly hash: string;
}

/** Negative when `a` comes before `b`, positive after, 0 for the same snapshot. */
export function compareSnapshots(a: SnapshotOrder, b: SnapshotOrder): number {
  if (a.senderTime !== b.senderTime) return a.senderTime < b.senderTime ? -1 : 1;
  const rankA = a.rank ?? 0;
  const rankB = b.rank ?? 0;
  if (rankA !== rankB) return rankA - rankB;
  if (a.hash !== b.hash) return a.hash < b.hash ? -1 : 1;
  return 0;
}

/** True when `candidate` is newer than the newest snapshot applied so far. */
export function supersedes(candidate: SnapshotOrder, newest: SnapshotOrder | undefined): boolean {
  return newest === undefined || compareSnapshots(candidate, newest) > 0;
}
