import { validateContract } from '../../validation/contract.validator.js';
import type { DtoClass } from '../../validation/nested-object.decorator.js';
import {
  isEnvelope,
  isJsonObject,
  notEnvelope,
  ownMember,
  stringMember,
  type PayloadCheck,
} from '../../validation/payload-check.js';
import {
  COPE_CHECK_IN_CREATED,
  COPE_IDENTIFYING_KEYS,
  COPE_EVENT_PUBLISHED,
  COPE_SUPPORTED_MAJOR,
  COPE_TICKET_DELIVERY_REQUESTED,
  isCopeEventType,
  parseCopeDataSchema,
  type CopeEventType,
} from './cope.constants.js';
import { CopeCheckInCreatedEventDto } from './cope-check-in-created.dto.js';
import { CopeEnvelopeDto } from './cope-envelope.dto.js';
import { CopeEventPublishedEventDto } from './cope-event-published.dto.js';
import type { CopeEvent } from './cope-event.types.js';
import { CopeTicketDeliveryRequestedEventDto } from './cope-ticket-delivery-requested.dto.js';

const EVENT_DTOS: Readonly<Record<CopeEventType, DtoClass>> = {
  [COPE_TICKET_DELIVERY_REQUESTED]: CopeTicketDeliveryRequestedEventDto,
  [COPE_EVENT_PUBLISHED]: CopeEventPublishedEventDto,
  [COPE_CHECK_IN_CREATED]: CopeCheckInCreatedEventDto,
};

export interface CopeStatedVersion {
  readonly major: number;
  /** As stated: the dataschema's `v<N>` as `N`, or `data.schema_version` verbatim. */
  readonly version: string;
}

/**
 * The major version the sender states for a documented type: from `dataschema` when
 * present, else from `data.schema_version`. `undefined` when it cannot be read (a
 * malformed or foreign `dataschema`, a missing `schema_version`): the contract check then
 * reports what is wrong.
 */
export function copeStatedVersion(
  event: Record<string, unknown>,
  type: CopeEventType,
): CopeStatedVersion | undefined {
  const dataschema = ownMember(event, 'dataschema');
  if (dataschema !== undefined && dataschema !== null) {
    const schema = parseCopeDataSchema(dataschema);
    return schema?.type === type
      ? { major: Number(schema.major), version: schema.major }
      : undefined;
  }
  const data = ownMember(event, 'data');
  const schemaVersion = isJsonObject(data) ? ownMember(data, 'schema_version') : undefined;
  if (typeof schemaVersion !== 'string') return undefined;
  const major = /^(\d+)(?:\.|$)/.exec(schemaVersion)?.[1];
  return major === undefined ? undefined : { major: Number(major), version: schemaVersion };
}

/**
 * Classifies a parsed COPE CloudEvent (structured mode, or binary mode after
 * {@link copeEventFromBinaryMode}). One DTO is chosen up front, so the body is transformed
 * and validated once: the payload contract for a documented type in a supported major
 * version, the bare envelope otherwise (an unknown type or major is parked only when its
 * envelope is sound).
 */
export function checkCopeEvent(body: unknown): PayloadCheck<CopeEvent> {
  if (!isEnvelope(body, COPE_IDENTIFYING_KEYS)) {
    return notEnvelope(body, 'COPE CloudEvent', COPE_IDENTIFYING_KEYS);
  }
  const type = stringMember(body, 'type');
  const known = isCopeEventType(type) ? type : undefined;
  const stated = known === undefined ? undefined : copeStatedVersion(body, known);
  const unsupported = stated !== undefined && stated.major !== COPE_SUPPORTED_MAJOR;
  const dto = known === undefined || unsupported ? CopeEnvelopeDto : EVENT_DTOS[known];

  const errors = validateContract(dto, body);
  if (errors.length > 0) return { outcome: 'contract_violation', messageType: type, errors };
  // A sound envelope has a non-empty string type.
  if (type === undefined || known === undefined) {
    return { outcome: 'unsupported_type', messageType: type ?? '' };
  }
  if (unsupported) {
    return { outcome: 'unsupported_version', messageType: known, version: stated.version };
  }
  return { outcome: 'valid', messageType: known, message: body as unknown as CopeEvent };
}
