import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// Response documents of the reconciled reads (api.md): the OpenAPI schema of what the
// read models answer. Nullable fields are `null` while the fact is not known yet.

const nullableNumber = { type: Number, nullable: true } as const;
const nullableString = { type: String, nullable: true } as const;
const nullableBoolean = { type: Boolean, nullable: true } as const;

class AsOfPositionDto {
  @ApiProperty({ description: 'Global log position the answering read model(s) had reached' })
  asOfPosition!: number;
}

export class DiscrepancyDto {
  @ApiProperty({ description: 'Stable: a hash of the type and the keys' })
  id!: string;

  @ApiProperty({
    example: 'unknown_ticket',
    description:
      'unknown_ticket, cancelled_ticket, wrong_event, duplicate_scan, conflicting_check_in, over_capacity, duplicate_barcode, eticket_for_unknown_barcode, eticket_for_cancelled_ticket, affiliate_exceeds_unavailable, booking_on_disabled_performance',
  })
  type!: string;

  @ApiProperty({ enum: ['cope', 'ltd', 'ingresse'] })
  provider!: string;

  @ApiPropertyOptional()
  eventId?: string;

  @ApiPropertyOptional()
  performanceId?: number;

  @ApiPropertyOptional()
  bookingReference?: string;

  @ApiPropertyOptional()
  ticketId?: string;

  @ApiProperty()
  detail!: string;

  @ApiProperty({ description: 'Sender time of the fact that opened it' })
  since!: string;

  @ApiPropertyOptional({ type: [String] })
  checkInIds?: string[];
}

export class AttendanceDto extends AsOfPositionDto {
  @ApiProperty()
  eventId!: string;

  @ApiProperty(nullableString)
  title!: string | null;

  @ApiProperty(nullableNumber)
  capacity!: number | null;

  @ApiProperty(nullableString)
  startsAt!: string | null;

  @ApiProperty(nullableString)
  endsAt!: string | null;

  @ApiProperty({ description: 'Distinct check_in_ids' })
  checkIns!: number;

  @ApiProperty({ description: 'Distinct ticket codes checked in' })
  checkedInTickets!: number;

  @ApiProperty()
  duplicateScans!: number;

  @ApiProperty()
  expectedTickets!: number;

  @ApiProperty()
  noShows!: number;

  @ApiProperty()
  unknownTickets!: number;

  @ApiProperty()
  cancelledTickets!: number;

  @ApiProperty()
  wrongEventTickets!: number;

  @ApiProperty()
  overCapacity!: boolean;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { North: 12, unknown: 1 },
  })
  byGate!: Record<string, number>;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } })
  discrepancyCounts!: Record<string, number>;

  @ApiProperty({ type: [DiscrepancyDto], description: 'The first 100, oldest first' })
  discrepancies!: DiscrepancyDto[];
}

export class TicketRecordDto {
  @ApiProperty({ enum: ['cope', 'ltd'] })
  provider!: string;

  @ApiProperty({ enum: ['issued', 'cancelled'] })
  status!: string;

  @ApiPropertyOptional()
  eventId?: string;

  @ApiPropertyOptional()
  performanceId?: number;

  @ApiPropertyOptional()
  bookingReference?: string;

  @ApiPropertyOptional()
  seat?: string;

  @ApiPropertyOptional()
  area?: string;

  @ApiPropertyOptional({ description: 'LTD’s own status, verbatim' })
  providerStatus?: string;
}

export class TicketCheckInDto {
  @ApiProperty()
  checkInId!: string;

  @ApiProperty()
  eventId!: string;

  @ApiProperty()
  checkedInAt!: string;

  @ApiPropertyOptional()
  gate?: string;

  @ApiProperty()
  conflicting!: boolean;
}

export class TicketDeliveryDto {
  @ApiProperty({ enum: ['cope', 'ltd'] })
  provider!: string;

  @ApiPropertyOptional()
  ticketDeliveryId?: string;

  @ApiPropertyOptional()
  eventId?: string;

  @ApiPropertyOptional()
  requestedAt?: string;

  @ApiPropertyOptional()
  bookingReference?: string;

  @ApiPropertyOptional()
  releasedAt?: string;
}

export class TicketDto extends AsOfPositionDto {
  @ApiProperty()
  ticketId!: string;

  @ApiProperty({ type: [TicketRecordDto] })
  records!: TicketRecordDto[];

  @ApiProperty({ type: [TicketCheckInDto] })
  checkIns!: TicketCheckInDto[];

  @ApiProperty({ type: [TicketDeliveryDto] })
  deliveries!: TicketDeliveryDto[];

  @ApiProperty({ type: [DiscrepancyDto] })
  discrepancies!: DiscrepancyDto[];
}

export class CopeDeliveryRequestDto {
  @ApiProperty()
  ticketDeliveryId!: string;

  @ApiProperty()
  deliveryKind!: string;

  @ApiProperty()
  recipient!: string;

  @ApiProperty()
  requestedAt!: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  attendee!: Record<string, unknown>;
}

export class CopeDeliveryDto extends AsOfPositionDto {
  @ApiProperty()
  ticketId!: string;

  @ApiProperty(nullableString)
  eventId!: string | null;

  @ApiProperty({ enum: ['requested'], nullable: true, type: String })
  status!: 'requested' | null;

  @ApiProperty({ type: [CopeDeliveryRequestDto], description: 'Newest requestedAt first' })
  requests!: CopeDeliveryRequestDto[];
}

export class LtdDeliveryTicketDto {
  @ApiProperty()
  barcode!: string;

  @ApiProperty()
  seat!: string;

  @ApiProperty(nullableString)
  area!: string | null;

  @ApiProperty({ enum: ['issued', 'cancelled'] })
  status!: string;

  @ApiProperty()
  eticketAvailable!: boolean;
}

export class LtdDeliveryDto extends AsOfPositionDto {
  @ApiProperty()
  bookingReference!: string;

  @ApiProperty(nullableString)
  deliveryType!: string | null;

  @ApiProperty({ enum: ['pending', 'available', 'cancelled'] })
  status!: string;

  @ApiProperty(nullableString)
  eticketsAvailableAt!: string | null;

  @ApiProperty({ type: [LtdDeliveryTicketDto] })
  tickets!: LtdDeliveryTicketDto[];

  @ApiProperty({ type: [DiscrepancyDto] })
  discrepancies!: DiscrepancyDto[];
}

export class CopeInventoryDto extends AsOfPositionDto {
  @ApiProperty()
  eventId!: string;

  @ApiProperty(nullableNumber)
  capacity!: number | null;

  @ApiProperty()
  issued!: number;

  @ApiProperty()
  checkedIn!: number;

  @ApiProperty({ ...nullableNumber, description: 'capacity − issued; negative when oversold' })
  remaining!: number | null;

  @ApiProperty()
  oversold!: boolean;
}

export class LtdInventoryDto extends AsOfPositionDto {
  @ApiProperty()
  performanceId!: number;

  @ApiProperty(nullableNumber)
  eventId!: number | null;

  @ApiProperty(nullableNumber)
  totalSeats!: number | null;

  @ApiProperty(nullableNumber)
  availableSeats!: number | null;

  @ApiProperty(nullableNumber)
  unavailableSeats!: number | null;

  @ApiProperty()
  affiliateIssued!: number;

  @ApiProperty()
  affiliateCancelled!: number;

  @ApiProperty(nullableBoolean)
  disabled!: boolean | null;

  @ApiProperty(nullableBoolean)
  hasOffer!: boolean | null;

  @ApiProperty(nullableString)
  reportedAt!: string | null;

  @ApiProperty({ type: [DiscrepancyDto] })
  discrepancies!: DiscrepancyDto[];
}

export class IngresseTicketTypeDto {
  @ApiProperty()
  id!: number;

  @ApiProperty(nullableString)
  name!: string | null;

  @ApiProperty({ example: 'Ticket', description: 'Ticket or Group' })
  type!: string;

  @ApiProperty(nullableNumber)
  parentId!: number | null;

  @ApiProperty()
  quantity!: number;

  @ApiProperty(nullableNumber)
  price!: number | null;

  @ApiProperty(nullableNumber)
  finalPrice!: number | null;

  @ApiProperty(nullableBoolean)
  available!: boolean | null;

  @ApiProperty(nullableBoolean)
  hidden!: boolean | null;

  @ApiProperty(nullableBoolean)
  archived!: boolean | null;

  @ApiProperty(nullableBoolean)
  salable!: boolean | null;

  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } })
  eventDates!: unknown;

  @ApiProperty()
  reportedAt!: string;
}

export class IngresseInventoryDto extends AsOfPositionDto {
  @ApiProperty()
  eventId!: number;

  @ApiProperty()
  totalQuantity!: number;

  @ApiProperty({ type: [IngresseTicketTypeDto] })
  ticketTypes!: IngresseTicketTypeDto[];
}

export class DiscrepancyPageDto extends AsOfPositionDto {
  @ApiProperty({ type: [DiscrepancyDto] })
  items!: DiscrepancyDto[];

  @ApiProperty({ ...nullableString, description: 'Pass as `after` for the next page' })
  next!: string | null;
}
