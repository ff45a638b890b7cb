import 'reflect-metadata';

import { IsArray, IsBoolean, IsOptional, IsString, Min } from 'class-validator';

import { IsRequired } from '../../validation/is-required.decorator.js';
import { IsSafeInteger } from '../../validation/is-safe-integer.decorator.js';
import { NestedObject } from '../../validation/nested-object.decorator.js';
import { LtdEnvelopeAttributesDto } from './ltd-envelope.dto.js';

/** `PerformanceChanged`: a snapshot of one performance's availability. */
export class LtdPerformanceChangedPayloadDto {
  @IsRequired()
  @IsSafeInteger()
  PerformanceId!: number;

  @IsRequired()
  @IsSafeInteger()
  EventId!: number;

  @IsRequired()
  @Min(0)
  @IsSafeInteger()
  TotalSeatsCount!: number;

  @IsRequired()
  @Min(0)
  @IsSafeInteger()
  TotalAvailableTicketsCount!: number;

  @IsOptional()
  @IsBoolean()
  IsDisabled?: boolean | null;

  @IsOptional()
  @IsBoolean()
  HasOffer?: boolean | null;

  // A local date-time ("2025-12-31T13:00:00"): kept verbatim, never judged for an offset.
  @IsOptional()
  @IsString()
  PerformanceDateTime?: string | null;

  @IsOptional()
  @IsArray()
  Tickets?: unknown[] | null;

  @IsOptional()
  @IsArray()
  Prices?: unknown[] | null;

  @IsOptional()
  @IsArray()
  Attributes?: unknown[] | null;
}

export class LtdPerformanceChangedMessageDto extends LtdEnvelopeAttributesDto {
  @IsRequired()
  @NestedObject(() => LtdPerformanceChangedPayloadDto)
  Payload!: LtdPerformanceChangedPayloadDto;
}
