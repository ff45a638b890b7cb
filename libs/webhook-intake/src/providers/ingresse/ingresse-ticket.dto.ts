import 'reflect-metadata';

import { IsOptional, IsString } from 'class-validator';

import { IsJsonType } from '../../validation/is-json-type.decorator.js';
import { IsRequired } from '../../validation/is-required.decorator.js';
import { IsSafeInteger } from '../../validation/is-safe-integer.decorator.js';
import { NestedArray } from '../../validation/nested-array.decorator.js';
import { NestedObject } from '../../validation/nested-object.decorator.js';
import { IngresseEnvelopeAttributesDto } from './ingresse-envelope.dto.js';

// Tolerant by design: the seed itself writes `attributes` as `{…}` and as `[]`, and
// `description` as "" and as null. Only what identifies and counts is required.

/** A ticket type embedded in its group's `children`: only its id is required. */
export class IngresseChildTicketTypeDto {
  @IsRequired()
  @IsSafeInteger()
  id!: number;
}

/** `ticket` data: a ticket type ("Ticket") or a group of them ("Group"). */
export class IngresseTicketDataDto {
  @IsRequired()
  @IsSafeInteger()
  id!: number;

  @IsRequired()
  @IsSafeInteger()
  eventId!: number;

  @IsRequired()
  @IsString()
  type!: string;

  @IsRequired()
  @IsSafeInteger()
  quantity!: number;

  @IsOptional()
  @IsString()
  name?: string | null;

  @IsOptional()
  @IsString()
  description?: string | null;

  @IsOptional()
  @IsJsonType(['object', 'array'])
  attributes?: Record<string, unknown> | unknown[] | null;

  @IsOptional()
  @IsSafeInteger()
  parent?: number | null;

  @IsOptional()
  @NestedArray(() => IngresseChildTicketTypeDto)
  children?: IngresseChildTicketTypeDto[] | null;
}

export class IngresseTicketWebhookDto extends IngresseEnvelopeAttributesDto {
  @IsRequired()
  @NestedObject(() => IngresseTicketDataDto)
  data!: IngresseTicketDataDto;
}
