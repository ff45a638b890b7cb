/*
 * 400 or 422? A body is "not the provider's envelope" (`not_envelope`, answered 400,
 * nothing stored) when it is not a JSON object (array, string, number, boolean, null) or
 * when it is an object holding none of the members that identify the provider's envelope
 * (COPE: specversion, id, source, type; LTD: MessageType, Payload, Timestamp; Ingresse:
 * webhook, timestamp). A member another provider's envelope also has (`data`: COPE and
 * Ingresse) identifies nothing, so one provider's body posted to another's route is a
 * 400 and never parked. Any object holding an identifying member is the provider's
 * message, checked field by field: every problem is then a `contract_violation` (422,
 * parked) listing all violations, not just the first.
 */
import type { Violation } from './contract-violation.js';

export type PayloadCheck<M> =
  /** `message` is the very object that was checked (typed), extra fields included. */
  | { outcome: 'valid'; messageType: string; message: M }
  | { outcome: 'unsupported_type'; messageType: string }
  | { outcome: 'unsupported_version'; messageType: string; version: string }
  | { outcome: 'contract_violation'; messageType: string | undefined; errors: Violation[] }
  /** Answered 400, nothing stored. */
  | { outcome: 'not_envelope'; detail: string };

export type PayloadOutcome = PayloadCheck<unknown>['outcome'];

/** A parsed JSON object (not an array): the only shape an envelope can have. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own member of a parsed object: inherited properties are never the sender's. */
export function ownMember(body: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(body, key) ? body[key] : undefined;
}

/**
 * A JSON object holding at least one member that identifies the provider's envelope: the
 * provider's message, maybe broken.
 */
export function isEnvelope(
  body: unknown,
  identifyingKeys: readonly string[],
): body is Record<string, unknown> {
  return isJsonObject(body) && identifyingKeys.some((key) => Object.hasOwn(body, key));
}

/** The `not_envelope` outcome for a body that {@link isEnvelope} refused. */
export function notEnvelope(
  body: unknown,
  provider: string,
  identifyingKeys: readonly string[],
): { outcome: 'not_envelope'; detail: string } {
  if (isJsonObject(body)) {
    return {
      outcome: 'not_envelope',
      detail: `the body holds none of the members that identify a ${provider} (${identifyingKeys.join(', ')})`,
    };
  }
  const kind =
    body === null
      ? 'null'
      : body === undefined
        ? 'empty'
        : Array.isArray(body)
          ? 'an array'
          : `a ${typeof body}`;
  return { outcome: 'not_envelope', detail: `a ${provider} body is a JSON object, not ${kind}` };
}

/** A non-empty string member, for `messageType` in outcomes. */
export function stringMember(body: Record<string, unknown>, key: string): string | undefined {
  const value = ownMember(body, key);
  return typeof value === 'string' && value !== '' ? value : undefined;
}
