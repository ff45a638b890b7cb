import 'reflect-metadata';

import { IsNotEmpty, IsOptional, IsString } from 'class-validator';

import { IsJsonType } from '../../validation/is-json-type.decorator.js';
import { IsRequired } from '../../validation/is-required.decorator.js';
import { NestedArray } from '../../validation/nested-array.decorator.js';
import { NestedObject } from '../../validation/nested-object.decorator.js';
import { LtdEnvelopeAttributesDto } from './ltd-envelope.dto.js';

export class LtdScheduledEticketDto {
  @IsRequired()
  @IsString()
  Barcode!: string;

  @IsOptional()
  @IsJsonType(['string', 'number'])
  TicketName1?: string | number | null;

  @IsOptional()
  @IsJsonType(['string', 'number'])
  TicketName2?: string | number | null;

  @IsOptional()
  @IsString()
  AreaName?: string | null;

  // A local date-time ("2023-12-07T19:30:00"): kept verbatim.
  @IsOptional()
  @IsString()
  PerformanceDate?: string | null;
}

/** `ScheduledEticketDelivery`: scheduled e-tickets became available. */
export class LtdScheduledEticketDeliveryPayloadDto {
  @IsRequired()
  @IsNotEmpty()
  @IsString()
  BookingReference!: string;

  @IsRequired()
  @NestedArray(() => LtdScheduledEticketDto)
  Tickets!: LtdScheduledEticketDto[];

  @IsOptional()
  @IsString()
  CustomerEmail?: string | null;
}

export class LtdScheduledEticketDeliveryMessageDto extends LtdEnvelopeAttributesDto {
  @IsRequired()
  @NestedObject(() => LtdScheduledEticketDeliveryPayloadDto)
  Payload!: LtdScheduledEticketDeliveryPayloadDto;
}
