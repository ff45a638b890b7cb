import type { ContractViolation, ParkReason, Provider } from '#ledger';

/** One HTTP delivery, as the route received it. */
export interface IncomingDelivery {
  readonly provider: Provider;
  /** Lower-case header names, as Node gives them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly query: Readonly<Record<string, unknown>>;
  readonly rawBody: Buffer;
}

export interface AcceptedResult {
  readonly kind: 'accepted';
  readonly receiptId: string;
  readonly streamId: string;
  /** Global log position of the append: usable as `minPosition` on reads. */
  readonly position: number;
  /** Every event type appended, the receipt included. */
  readonly events: readonly string[];
}

export interface DuplicateResult {
  readonly kind: 'duplicate';
  /** The first delivery's receipt. */
  readonly receiptId: string;
}

export interface ParkedResult {
  readonly kind: 'parked';
  readonly receiptId: string;
  readonly reason: ParkReason;
  /** Every contract violation, for `contract_violation`. */
  readonly errors?: readonly ContractViolation[];
}

/** Nothing stored: not the provider's JSON (400) or not authenticated (401). */
export interface RejectedResult {
  readonly kind: 'rejected';
  readonly status: 400 | 401;
  readonly title: string;
  readonly detail: string;
}

export type DeliveryResult = AcceptedResult | DuplicateResult | ParkedResult | RejectedResult;

/** A CloudEvents batch: each element handled on its own. */
export interface BatchResult {
  readonly kind: 'batch';
  readonly results: readonly DeliveryResult[];
}

export type IntakeResult = DeliveryResult | BatchResult;
