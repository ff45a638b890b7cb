import 'reflect-metadata';

import { Equals, IsNotEmpty, IsObject, IsString } from 'class-validator';

import { IsIsoInstant } from '../../validation/iso-instant.decorator.js';
import { IsOmittable } from '../../validation/is-omittable.decorator.js';
import { IsRequired } from '../../validation/is-required.decorator.js';
import { NestedObject } from '../../validation/nested-object.decorator.js';
import { COPE_CHECK_IN_CREATED } from './cope.constants.js';
import { CopeEnvelopeAttributesDto } from './cope-envelope.dto.js';
import { CopeEventDataDto } from './cope-event-data.dto.js';

/** `ticketing.check_in.created` v1 payload (seed 002). */
export class CopeCheckInCreatedDataDto extends CopeEventDataDto {
  @IsRequired()
  @Equals(COPE_CHECK_IN_CREATED, {
    message: `event_type must equal the CloudEvent type (${COPE_CHECK_IN_CREATED})`,
  })
  event_type!: typeof COPE_CHECK_IN_CREATED;

  @IsRequired()
  @IsObject()
  attendee!: Record<string, unknown>;

  @IsRequired()
  @IsNotEmpty()
  @IsString()
  check_in_id!: string;

  @IsRequired()
  @IsIsoInstant()
  checked_in_at!: string;

  @IsOmittable()
  @IsString()
  device_id?: string;

  @IsRequired()
  @IsNotEmpty()
  @IsString()
  event_id!: string;

  @IsRequired()
  @IsNotEmpty()
  @IsString()
  event_product_id!: string;

  @IsOmittable()
  @IsString()
  gate?: string;

  @IsRequired()
  @IsNotEmpty()
  @IsString()
  scanner_session_id!: string;

  @IsRequired()
  @IsNotEmpty()
  @IsString()
  ticket_id!: string;
}

export class CopeCheckInCreatedEventDto extends CopeEnvelopeAttributesDto {
  @IsRequired()
  @NestedObject(() => CopeCheckInCreatedDataDto)
  data!: CopeCheckInCreatedDataDto;
}
