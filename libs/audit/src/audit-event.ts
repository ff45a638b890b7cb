import type { JsonObject, RecordedEvent } from '#event-store';

/**
 * An event as the audit routes show it: exactly as stored — never upcast — so that
 * what an auditor reads is what the integrity hashes cover.
 */
export interface AuditEvent {
  readonly eventId: string;
  readonly streamId: string;
  readonly type: string;
  readonly revision: number;
  readonly position: number;
  readonly recordedAt: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
}

export function auditEvent(event: RecordedEvent): AuditEvent {
  return {
    eventId: event.id,
    streamId: event.streamId,
    type: event.type,
    revision: event.revision,
    position: event.position,
    recordedAt: event.recordedAt,
    data: event.data,
    metadata: event.metadata,
  };
}
