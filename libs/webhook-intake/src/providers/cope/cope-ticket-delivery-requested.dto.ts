import 'reflect-metadata';

import { Equals, IsNotEmpty, IsObject, IsString } from 'class-validator';

import { IsIsoInstant } from '../../validation/iso-instant.decorator.js';
import { IsOmittable } from '../../validation/is-omittable.decorator.js';
import { IsRequired } from '../../validation/is-required.decorator.js';
import { NestedObject } from '../../validation/nested-object.decorator.js';
import { COPE_TICKET_DELIVERY_REQUESTED } from './cope.constants.js';
import { CopeEnvelopeAttributesDto } from './cope-envelope.dto.js';
import { CopeEventDataDto } from './cope-event-data.dto.js';

/** `ticketing.ticket_delivery.requested` v1 payload (seed 000). */
export class CopeTicketDeliveryRequestedDataDto extends CopeEventDataDto {
  @IsRequired()
  @Equals(COPE_TICKET_DELIVERY_REQUESTED, {
    message: `event_type must equal the CloudEvent type (${COPE_TICKET_DELIVERY_REQUESTED})`,
  })
  event_type!: typeof COPE_TICKET_DELIVERY_REQUESTED;

  @IsRequired()
  @IsObject()
  attendee!: Record<string, unknown>;

  @IsRequired()
  @IsString()
  delivery_kind!: string;

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
  order_id?: string;

  @IsOmittable()
  @IsString()
  order_line_id?: string;

  @IsRequired()
  @IsString()
  recipient!: string;

  @IsRequired()
  @IsIsoInstant()
  requested_at!: string;

  @IsRequired()
  @IsNotEmpty()
  @IsString()
  ticket_delivery_id!: string;

  @IsRequired()
  @IsNotEmpty()
  @IsString()
  ticket_id!: string;
}

export class CopeTicketDeliveryRequestedEventDto extends CopeEnvelopeAttributesDto {
  @IsRequired()
  @NestedObject(() => CopeTicketDeliveryRequestedDataDto)
  data!: CopeTicketDeliveryRequestedDataDto;
}
