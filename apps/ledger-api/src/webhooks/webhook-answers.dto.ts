import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ViolationDto } from '../http/problem-details.dto.js';

export class AcceptedDeliveryDto {
  @ApiProperty({ enum: ['accepted'] })
  status!: 'accepted';

  @ApiProperty({ description: 'Id of the WebhookReceived event', format: 'uuid' })
  receiptId!: string;

  @ApiProperty({ example: 'ticket-cope.T-1001' })
  streamId!: string;

  @ApiProperty({ description: 'Global log position of the append; usable as minPosition on reads' })
  position!: number;

  @ApiProperty({ example: ['WebhookReceived', 'TicketCheckedIn'], type: [String] })
  events!: string[];
}

export class DuplicateDeliveryDto {
  @ApiProperty({ enum: ['duplicate'] })
  status!: 'duplicate';

  @ApiProperty({ description: 'The first delivery’s receipt', format: 'uuid' })
  receiptId!: string;
}

export class ParkedDeliveryDto {
  @ApiProperty({ enum: ['parked'] })
  status!: 'parked';

  @ApiProperty({ format: 'uuid' })
  receiptId!: string;

  @ApiProperty({ enum: ['unsupported_type', 'unsupported_version', 'contract_violation'] })
  reason!: string;

  @ApiPropertyOptional({ type: [ViolationDto] })
  errors?: ViolationDto[];
}

/**
 * The members a delivery's outcome may carry, each where it applies: an accepted append
 * has them all, a duplicate its first receipt, a parked delivery its receipt and reason.
 */
abstract class DeliveryOutcomeFieldsDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Absent only when rejected' })
  receiptId?: string;

  @ApiPropertyOptional()
  streamId?: string;

  @ApiPropertyOptional()
  position?: number;

  @ApiPropertyOptional({ type: [String] })
  events?: string[];

  @ApiPropertyOptional({ enum: ['unsupported_type', 'unsupported_version', 'contract_violation'] })
  reason?: string;

  @ApiPropertyOptional({ type: [ViolationDto] })
  errors?: ViolationDto[];
}

/**
 * One element of a CloudEvents batch answer: the members its answer alone would have
 * (a problem's `status` is its HTTP status), with its HTTP status in `httpStatus` and
 * what became of it in `outcome`.
 */
export class BatchElementDto extends DeliveryOutcomeFieldsDto {
  @ApiProperty()
  index!: number;

  @ApiProperty({ description: 'The status this element would have been answered alone' })
  httpStatus!: number;

  @ApiProperty({
    enum: ['accepted', 'duplicate', 'parked', 'rejected'],
    description: 'What became of the element; a 422 element is parked (contract_violation)',
  })
  outcome!: string;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'integer' }],
    description: 'As answered alone: the outcome, or a problem’s HTTP status',
  })
  status!: string | number;

  @ApiPropertyOptional({ description: 'Problem type, for a 4xx element' })
  type?: string;

  @ApiPropertyOptional({ description: 'Problem title, for a 4xx element' })
  title?: string;

  @ApiPropertyOptional({ description: 'Problem detail, for a 4xx element' })
  detail?: string;
}

export class BatchAnswerDto {
  @ApiProperty({ type: [BatchElementDto] })
  results!: BatchElementDto[];
}

export class ReprocessedDeliveryDto extends DeliveryOutcomeFieldsDto {
  @ApiProperty({ format: 'uuid' })
  parkedReceiptId!: string;

  @ApiProperty({ enum: ['accepted', 'duplicate', 'parked'] })
  status!: string;
}
