import 'reflect-metadata';

import { IsNotEmpty, IsObject, IsString } from 'class-validator';

import { IsIsoDateTime } from '../../validation/iso-date-time.decorator.js';
import { IsRequired } from '../../validation/is-required.decorator.js';

/**
 * The envelope of every Ingresse webhook. `timestamp` is the posting time and may lack an
 * offset ("2018-04-02T13:57:04.770619"): it is kept as written.
 */
export abstract class IngresseEnvelopeAttributesDto {
  @IsRequired()
  @IsNotEmpty()
  @IsString()
  webhook!: string;

  @IsRequired()
  @IsIsoDateTime()
  timestamp!: string;
}

/** Any Ingresse webhook, its data unread: checked for webhooks this code does not know. */
export class IngresseEnvelopeDto extends IngresseEnvelopeAttributesDto {
  @IsRequired()
  @IsObject()
  data!: Record<string, unknown>;
}
