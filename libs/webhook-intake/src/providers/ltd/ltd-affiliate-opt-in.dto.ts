import 'reflect-metadata';

import { IsBoolean, IsOptional, IsString } from 'class-validator';

import { IsRequired } from '../../validation/is-required.decorator.js';
import { NestedObject } from '../../validation/nested-object.decorator.js';
import { LtdEnvelopeAttributesDto } from './ltd-envelope.dto.js';

export class LtdOptInCustomerDto {
  // Not judged as an address: LTD's own examples carry obfuscated e-mails.
  @IsRequired()
  @IsString()
  Email!: string;
}

export class LtdOptInBookingDto {
  @IsOptional()
  @IsString()
  BookingReference?: string | null;
}

/** `AffiliateOptIn`: a customer's consent to an affiliate opt-in. */
export class LtdAffiliateOptInPayloadDto {
  @IsRequired()
  @IsString()
  OptInText!: string;

  @IsRequired()
  @IsBoolean()
  IsOptedIn!: boolean;

  @IsRequired()
  @NestedObject(() => LtdOptInCustomerDto)
  Customer!: LtdOptInCustomerDto;

  @IsOptional()
  @NestedObject(() => LtdOptInBookingDto)
  Booking?: LtdOptInBookingDto | null;
}

export class LtdAffiliateOptInMessageDto extends LtdEnvelopeAttributesDto {
  @IsRequired()
  @NestedObject(() => LtdAffiliateOptInPayloadDto)
  Payload!: LtdAffiliateOptInPayloadDto;
}
