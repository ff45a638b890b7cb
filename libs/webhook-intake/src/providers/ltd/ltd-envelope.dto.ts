import 'reflect-metadata';

import { IsNotEmpty, IsObject, IsString } from 'class-validator';

import { IsIsoInstant } from '../../validation/iso-instant.decorator.js';
import { IsRequired } from '../../validation/is-required.decorator.js';

/**
 * The envelope of every LTD webhook. `Timestamp` is an instant (LTD writes seven
 * fractional digits and `Z`); it orders the snapshots, so it is kept verbatim.
 */
export abstract class LtdEnvelopeAttributesDto {
  @IsRequired()
  @IsNotEmpty()
  @IsString()
  MessageType!: string;

  @IsRequired()
  @IsIsoInstant()
  Timestamp!: string;
}

/** Any LTD message, its payload unread: checked for types this code does not know. */
export class LtdEnvelopeDto extends LtdEnvelopeAttributesDto {
  @IsRequired()
  @IsObject()
  Payload!: Record<string, unknown>;
}
