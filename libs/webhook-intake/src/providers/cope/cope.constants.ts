/** The COPE event types whose payload contracts are documented (seeds 000–002). */
export const COPE_TICKET_DELIVERY_REQUESTED = 'ticketing.ticket_delivery.requested';
export const COPE_EVENT_PUBLISHED = 'ticketing.event.published';
export const COPE_CHECK_IN_CREATED = 'ticketing.check_in.created';

export const COPE_EVENT_TYPES = [
  COPE_TICKET_DELIVERY_REQUESTED,
  COPE_EVENT_PUBLISHED,
  COPE_CHECK_IN_CREATED,
] as const;

export type CopeEventType = (typeof COPE_EVENT_TYPES)[number];

export function isCopeEventType(value: unknown): value is CopeEventType {
  return COPE_EVENT_TYPES.some((type) => type === value);
}

/** The `type` member of an envelope being validated (a DTO instance or a parsed body). */
export function envelopeTypeOf(envelope: object): unknown {
  const type: unknown = Object.hasOwn(envelope, 'type') ? Reflect.get(envelope, 'type') : undefined;
  return type;
}

/** Each type's documented subject pattern is `<prefix><identifier>`. */
export const COPE_SUBJECT_PREFIXES: Readonly<Record<CopeEventType, string>> = {
  [COPE_TICKET_DELIVERY_REQUESTED]: 'ticket_delivery:',
  [COPE_EVENT_PUBLISHED]: 'event:',
  [COPE_CHECK_IN_CREATED]: 'check_in:',
};

/**
 * The CloudEvents context attributes COPE always sends: an object with none of them is not
 * a CloudEvent at all. `data` is left out: Ingresse's envelope has one too, so it says
 * nothing about whose body this is.
 */
export const COPE_IDENTIFYING_KEYS = ['specversion', 'id', 'source', 'type'] as const;

/** `https://schemas.cope.com/events/<type>/v<major>`, the documented schema ids. */
const DATASCHEMA = /^https:\/\/schemas\.cope\.com\/events\/([^/]+)\/v(0|[1-9]\d*)$/;

export interface CopeDataSchema {
  readonly type: string;
  /** The major version as written after `v`. */
  readonly major: string;
}

export function parseCopeDataSchema(value: unknown): CopeDataSchema | undefined {
  if (typeof value !== 'string') return undefined;
  const match = DATASCHEMA.exec(value);
  const type = match?.[1];
  const major = match?.[2];
  return type === undefined || major === undefined ? undefined : { type, major };
}

/** The major versions whose payload contract this code knows. */
export const COPE_SUPPORTED_MAJOR = 1;
