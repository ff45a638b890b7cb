import 'reflect-metadata';

import { Equals, IsArray, IsNotEmpty, IsObject, IsString, Min } from 'class-validator';

import { IsIsoInstant } from '../../validation/iso-instant.decorator.js';
import { IsOmittable } from '../../validation/is-omittable.decorator.js';
import { IsRequired } from '../../validation/is-required.decorator.js';
import { IsSafeInteger } from '../../validation/is-safe-integer.decorator.js';
import { NestedObject } from '../../validation/nested-object.decorator.js';
import { COPE_EVENT_PUBLISHED } from './cope.constants.js';
import { CopeEnvelopeAttributesDto } from './cope-envelope.dto.js';
import { CopeEventDataDto } from './cope-event-data.dto.js';

/** `ticketing.event.published` v1 payload (seed 001): a snapshot of the show. */
export class CopeEventPublishedDataDto extends CopeEventDataDto {
  @IsRequired()
  @Equals(COPE_EVENT_PUBLISHED, {
    message: `event_type must equal the CloudEvent type (${COPE_EVENT_PUBLISHED})`,
  })
  event_type!: typeof COPE_EVENT_PUBLISHED;

  @IsRequired()
  @Min(0)
  @IsSafeInteger()
  capacity!: number;

  @IsRequired()
  @IsIsoInstant()
  ends_at!: string;

  @IsRequired()
  @IsNotEmpty()
  @IsString()
  event_id!: string;

  @IsRequired()
  @IsString({ each: true })
  @IsArray()
  event_product_ids!: string[];

  @IsRequired()
  @IsIsoInstant()
  starts_at!: string;

  @IsRequired()
  @Equals('published')
  status!: 'published';

  @IsRequired()
  @IsString()
  timezone!: string;

  @IsRequired()
  @IsString()
  title!: string;

  @IsOmittable()
  @IsObject()
  venue?: Record<string, unknown>;
}

export class CopeEventPublishedEventDto extends CopeEnvelopeAttributesDto {
  @IsRequired()
  @NestedObject(() => CopeEventPublishedDataDto)
  data!: CopeEventPublishedDataDto;
}
