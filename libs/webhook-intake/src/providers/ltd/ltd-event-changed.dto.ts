import 'reflect-metadata';

import { IsRequired } from '../../validation/is-required.decorator.js';
import { IsSafeInteger } from '../../validation/is-safe-integer.decorator.js';
import { NestedObject } from '../../validation/nested-object.decorator.js';
import { LtdEnvelopeAttributesDto } from './ltd-envelope.dto.js';

/** `EventChanged`: a snapshot of the show; everything but its id is optional. */
export class LtdEventChangedPayloadDto {
  @IsRequired()
  @IsSafeInteger()
  EventId!: number;
}

export class LtdEventChangedMessageDto extends LtdEnvelopeAttributesDto {
  @IsRequired()
  @NestedObject(() => LtdEventChangedPayloadDto)
  Payload!: LtdEventChangedPayloadDto;
}
