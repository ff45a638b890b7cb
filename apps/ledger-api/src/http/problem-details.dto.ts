import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ViolationDto {
  @ApiProperty({
    description: 'RFC 6901 JSON Pointer to the offending value',
    example: '/data/ticket_id',
  })
  pointer!: string;

  @ApiProperty({ example: 'ticket_id is required' })
  message!: string;
}

/** RFC 9457 problem details: the body of every error answer. */
export class ProblemDetailsDto {
  @ApiProperty({ example: 'urn:ticket-ledger:problem:contract-violation' })
  type!: string;

  @ApiProperty({ example: 'Webhook violates the provider contract' })
  title!: string;

  @ApiProperty({ example: 422 })
  status!: number;

  @ApiProperty()
  detail!: string;

  @ApiPropertyOptional({ type: [ViolationDto] })
  errors?: ViolationDto[];

  @ApiPropertyOptional({
    description: 'For a parked contract violation: the receipt of the delivery',
  })
  receiptId?: string;
}
