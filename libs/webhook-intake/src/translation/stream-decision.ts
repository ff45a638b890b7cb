import type { JsonObject, JsonValue } from '#event-store';
import type { Decider } from '#ledger';

/**
 * What a valid delivery asks of the ledger: the one stream it goes to, and the
 * command its decider turns into events given that stream's state.
 */
export interface StreamDecision {
  readonly streamId: string;
  /** The provider's own id for the message, where it has one (COPE's CloudEvent id). */
  readonly correlationId: string | undefined;
  /** Names the decider, so that cached stream state is only reused by the same kind. */
  readonly deciderName: string;
  readonly decider: Decider<unknown, unknown>;
  readonly command: unknown;
}

/** Pairs a decider with a command of its own type, then forgets the types. */
export function streamDecision<Command, State>(
  streamId: string,
  deciderName: string,
  decider: Decider<Command, State>,
  command: Command,
  correlationId?: string,
): StreamDecision {
  return {
    streamId,
    correlationId,
    deciderName,
    decider,
    command,
  };
}

/** Parsed JSON, typed by the DTOs as `unknown`-valued records: it is JSON all the same. */
export function asJson(value: unknown): JsonObject {
  return value as JsonObject;
}

export function asJsonValue(value: unknown): JsonValue {
  return value as JsonValue;
}

/** The members of `source` the contract does not name: kept, never stripped. */
export function extraMembers(source: object, known: ReadonlySet<string>): { extra?: JsonObject } {
  let extra: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(source)) {
    if (known.has(key)) continue;
    extra ??= {};
    extra[key] = value;
  }
  return extra ? { extra: asJson(extra) } : {};
}
