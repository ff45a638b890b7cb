import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ViolationDto } from '../http/problem-details.dto.js';

// Response documents of the audit routes (api.md, "Audit"): events as stored, never
// upcast; `data` and `metadata` are the stored JSON.

const jsonObject = { type: 'object', additionalProperties: true } as const;
const nullableNumber = { type: Number, nullable: true } as const;

export class AuditEventDto {
  @ApiProperty({ format: 'uuid' })
  eventId!: string;

  @ApiProperty({ example: 'ticket-cope.T-1' })
  streamId!: string;

  @ApiProperty({ example: 'WebhookReceived' })
  type!: string;

  @ApiProperty({ description: 'Place in its stream, from 0' })
  revision!: number;

  @ApiProperty({ description: 'Place in the global log (commit order)' })
  position!: number;

  @ApiProperty({ format: 'date-time', description: 'When the store committed it' })
  recordedAt!: string;

  @ApiProperty({ ...jsonObject, description: 'As stored' })
  data!: Record<string, unknown>;

  @ApiProperty({
    ...jsonObject,
    description: '`hash` (integrity chain), `causationId` (the receipt), `correlationId`, …',
  })
  metadata!: Record<string, unknown>;
}

export class StreamHistoryDto {
  @ApiProperty()
  streamId!: string;

  @ApiProperty({ type: [AuditEventDto], description: 'Oldest first' })
  events!: AuditEventDto[];

  @ApiProperty({
    ...nullableNumber,
    description: '`fromRevision` of the next page; null at the end',
  })
  next!: number | null;
}

export class LogPageDto {
  @ApiProperty({ type: [AuditEventDto], description: 'In commit order' })
  events!: AuditEventDto[];

  @ApiProperty({
    ...nullableNumber,
    description: '`afterPosition` of the next page; null once the end of the log was reached',
  })
  next!: number | null;
}

export class AuditStreamDto {
  @ApiProperty()
  streamId!: string;

  @ApiProperty({ type: [AuditEventDto], description: 'The whole stream, oldest first' })
  events!: AuditEventDto[];
}

export class TicketHistoryDto {
  @ApiProperty()
  ticketId!: string;

  @ApiProperty({
    type: [AuditStreamDto],
    description: 'Every stream recording the code, in the order they first did',
  })
  streams!: AuditStreamDto[];

  @ApiProperty({ description: 'Global log position the audit read model had reached' })
  asOfPosition!: number;
}

export class ReceiptOutcomeDto {
  @ApiProperty({
    enum: ['accepted', 'parked', 'reprocessed'],
    description: '`reprocessed`: accepted when a parked delivery was run again',
  })
  status!: 'accepted' | 'parked' | 'reprocessed';

  @ApiPropertyOptional({ enum: ['unsupported_type', 'unsupported_version', 'contract_violation'] })
  parkedReason?: string;

  @ApiPropertyOptional({ type: [ViolationDto] })
  errors?: ViolationDto[];

  @ApiPropertyOptional({ description: 'The parked receipt this run replaced' })
  reprocessOf?: string;

  @ApiPropertyOptional({ description: 'Parked: whether a reprocessing accepted it' })
  resolved?: boolean;

  @ApiPropertyOptional({
    type: [AuditEventDto],
    description: 'Parked: every reprocessing attempt (ParkedDeliveryReprocessed), oldest first',
  })
  reprocessing?: AuditEventDto[];
}

export class RedeliveriesDto {
  @ApiProperty({ description: 'Deliveries of the same message after this one' })
  count!: number;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  lastSeen!: string | null;
}

export class ReceiptDto {
  @ApiProperty({ format: 'uuid' })
  receiptId!: string;

  @ApiProperty()
  streamId!: string;

  @ApiProperty()
  revision!: number;

  @ApiProperty()
  position!: number;

  @ApiProperty({ format: 'date-time' })
  recordedAt!: string;

  @ApiProperty({ enum: ['cope', 'ltd', 'ingresse'] })
  provider!: string;

  @ApiProperty({ type: String, nullable: true })
  messageType!: string | null;

  @ApiProperty({ format: 'date-time' })
  receivedAt!: string;

  @ApiProperty()
  signatureVerified!: boolean;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Allow-listed: content-type, user-agent, webhook-*, ce-*',
  })
  headers!: Record<string, string>;

  @ApiProperty({ type: [String] })
  deduplicationKeys!: string[];

  @ApiProperty({
    description:
      'The body as received: the text itself when rawBodyEncoding is utf8, else its bytes in base64 (GET …/raw serves the bytes)',
  })
  rawBody!: string;

  @ApiProperty({ enum: ['utf8', 'base64'] })
  rawBodyEncoding!: 'utf8' | 'base64';

  @ApiProperty({ description: 'SHA-256 (hex) of the bytes as received' })
  sha256!: string;

  @ApiProperty({ description: 'Whether the kept bytes still hash to sha256' })
  sha256Matches!: boolean;

  @ApiPropertyOptional({
    ...jsonObject,
    description: 'For an element of a CloudEvents batch: the batch’s SHA-256 and the index',
  })
  batch?: Record<string, unknown>;

  @ApiProperty({ type: ReceiptOutcomeDto })
  outcome!: ReceiptOutcomeDto;

  @ApiProperty({ type: RedeliveriesDto })
  redeliveries!: RedeliveriesDto;

  @ApiProperty({ type: [AuditEventDto], description: 'The events it caused, as stored' })
  events!: AuditEventDto[];

  @ApiProperty({ description: 'Global log position the audit read model had reached' })
  asOfPosition!: number;
}

export class ReprocessAttemptDto {
  @ApiProperty({ enum: ['accepted', 'duplicate', 'parked'] })
  outcome!: string;

  @ApiPropertyOptional()
  receiptId?: string;

  @ApiPropertyOptional()
  streamId?: string;

  @ApiPropertyOptional()
  parkedReason?: string;

  @ApiPropertyOptional({ type: [ViolationDto] })
  errors?: ViolationDto[];
}

export class ParkedDeliveryDto {
  @ApiProperty({ format: 'uuid' })
  receiptId!: string;

  @ApiProperty({ enum: ['cope', 'ltd', 'ingresse'] })
  provider!: string;

  @ApiProperty({ type: String, nullable: true })
  messageType!: string | null;

  @ApiProperty({ enum: ['unsupported_type', 'unsupported_version', 'contract_violation'] })
  reason!: string;

  @ApiProperty({ type: [ViolationDto] })
  errors!: ViolationDto[];

  @ApiProperty({ format: 'date-time' })
  receivedAt!: string;

  @ApiProperty()
  position!: number;

  @ApiProperty({ description: 'A reprocessing accepted it or found it a duplicate' })
  resolved!: boolean;

  @ApiPropertyOptional({ type: ReprocessAttemptDto, description: 'The last reprocessing' })
  lastAttempt?: ReprocessAttemptDto;
}

export class ParkedPageDto {
  @ApiProperty({ type: [ParkedDeliveryDto], description: 'Oldest first' })
  items!: ParkedDeliveryDto[];

  @ApiProperty({ ...nullableNumber, description: '`after` of the next page; null at the end' })
  next!: number | null;
}

export class IntegrityProblemDto {
  @ApiProperty()
  streamId!: string;

  @ApiPropertyOptional({
    description:
      'Where: the edited event, the first missing revision, the checkpoint event at fault…',
  })
  revision?: number;

  @ApiProperty({
    enum: ['hash_mismatch', 'revision_gap', 'truncated', 'missing_stream', 'checkpoint_mismatch'],
  })
  kind!: string;

  @ApiProperty()
  detail!: string;
}

export class CheckpointSummaryDto {
  @ApiProperty({ format: 'uuid', description: 'Its (last) event in audit-checkpoints' })
  eventId!: string;

  @ApiProperty()
  revision!: number;

  @ApiProperty({ description: 'The log position it covers' })
  position!: number;

  @ApiProperty()
  merkleRoot!: string;

  @ApiProperty()
  streamCount!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class IntegrityReportDto {
  @ApiProperty()
  ok!: boolean;

  @ApiProperty()
  eventsChecked!: number;

  @ApiProperty()
  streamsChecked!: number;

  @ApiProperty({ type: [IntegrityProblemDto], description: 'At most 1000 listed' })
  problems!: IntegrityProblemDto[];

  @ApiProperty({ description: 'Every problem found' })
  problemCount!: number;

  @ApiProperty({
    type: CheckpointSummaryDto,
    nullable: true,
    description: 'The checkpoint compared with; null before the first',
  })
  checkpoint!: CheckpointSummaryDto | null;

  @ApiProperty({ description: 'Position of the last event read' })
  checkedToPosition!: number;
}

export class CheckpointPageDto {
  @ApiProperty({
    type: [AuditEventDto],
    description:
      'IntegrityCheckpoint events as stored, oldest first. data: position (covered), previousPosition, merkleRoot, streamCount, heads {streamId: {revision, hash}} of the streams changed since the previous checkpoint, part, parts, createdAt',
  })
  items!: AuditEventDto[];

  @ApiProperty({ ...nullableNumber, description: '`after` of the next page; null at the end' })
  next!: number | null;
}
