import 'reflect-metadata';

import { IsNotEmpty, IsNumber, IsObject, IsOptional, IsString } from 'class-validator';

import { IsJsonType } from '../../validation/is-json-type.decorator.js';
import { IsRequired } from '../../validation/is-required.decorator.js';
import { IsSafeInteger } from '../../validation/is-safe-integer.decorator.js';
import { NestedArray } from '../../validation/nested-array.decorator.js';
import { NestedObject } from '../../validation/nested-object.decorator.js';
import { LtdEnvelopeAttributesDto } from './ltd-envelope.dto.js';

// Optional fields are typed loosely: only their JSON type is checked, null is allowed
// (LTD writes nulls freely), and date-times stay local strings, never judged for an offset.

/** One seat. `Barcode` alone is not an identity: the LTD seed shows seats sharing one. */
export class LtdTransactionTicketDto {
  @IsRequired()
  @IsString()
  Barcode!: string;

  @IsRequired()
  @IsString()
  Status!: string;

  @IsOptional()
  @IsString()
  SeatInfo?: string | null;

  @IsOptional()
  @IsJsonType(['string', 'number'])
  TicketName1?: string | number | null;

  @IsOptional()
  @IsJsonType(['string', 'number'])
  TicketName2?: string | number | null;

  @IsOptional()
  @IsString()
  AreaName?: string | null;

  @IsOptional()
  @IsNumber()
  Price?: number | null;
}

export class LtdTransactionOrderDto {
  @IsRequired()
  @IsSafeInteger()
  PerformanceId!: number;

  @IsRequired()
  @NestedArray(() => LtdTransactionTicketDto)
  Tickets!: LtdTransactionTicketDto[];

  @IsOptional()
  @IsSafeInteger()
  EventId?: number | null;

  @IsOptional()
  @IsString()
  PerformanceDateTime?: string | null;

  @IsOptional()
  @IsString()
  OrderStatus?: string | null;
}

/** `TransactionChanged`: a snapshot of the whole booking. */
export class LtdTransactionChangedPayloadDto {
  // The stream id of the booking: an empty one would merge unrelated bookings.
  @IsRequired()
  @IsNotEmpty()
  @IsString()
  BookingReference!: string;

  @IsRequired()
  @NestedArray(() => LtdTransactionOrderDto)
  Orders!: LtdTransactionOrderDto[];

  @IsOptional()
  @IsString()
  DeliveryType?: string | null;

  @IsOptional()
  @IsObject()
  Customer?: Record<string, unknown> | null;

  @IsOptional()
  @IsString()
  PurchaseDateTime?: string | null;
}

export class LtdTransactionChangedMessageDto extends LtdEnvelopeAttributesDto {
  @IsRequired()
  @NestedObject(() => LtdTransactionChangedPayloadDto)
  Payload!: LtdTransactionChangedPayloadDto;
}
