import 'reflect-metadata';

import { Equals, IsNotEmpty, IsOptional, IsString } from 'class-validator';

import { IsIsoInstant } from '../../validation/iso-instant.decorator.js';
import { IsRequired } from '../../validation/is-required.decorator.js';
import { IsCopeDataSchema } from './cope-data-schema.decorator.js';
import { IsCopeSubject } from './cope-subject.decorator.js';

/**
 * The CloudEvents 1.0 attributes of a COPE event (structured mode). Optional attributes
 * may be `null`: the JSON format says null means unset. Extension attributes other than
 * `idempotency_key` are allowed and not judged; `source` is recorded, not judged.
 */
export abstract class CopeEnvelopeAttributesDto {
  @IsRequired()
  @Equals('1.0', { message: 'specversion must be the string "1.0"' })
  specversion!: '1.0';

  @IsRequired()
  @IsNotEmpty()
  @IsString()
  id!: string;

  @IsRequired()
  @IsNotEmpty()
  @IsString()
  source!: string;

  @IsRequired()
  @IsNotEmpty()
  @IsString()
  type!: string;

  @IsOptional()
  @IsIsoInstant()
  time?: string | null;

  @IsOptional()
  @IsCopeSubject()
  subject?: string | null;

  @IsOptional()
  @IsCopeDataSchema()
  dataschema?: string | null;

  @IsOptional()
  @IsString()
  datacontenttype?: string | null;

  // A deduplication key: an empty one would make unrelated deliveries duplicates.
  @IsOptional()
  @IsNotEmpty()
  @IsString()
  idempotency_key?: string | null;
}

/**
 * Any COPE event, its data unread: what is checked for types (or major versions) this
 * code does not know before they are parked.
 */
export class CopeEnvelopeDto extends CopeEnvelopeAttributesDto {
  // Deliberately undecorated: optional and any JSON. The envelope rules (intake.md) do not
  // name `data`, CloudEvents makes it optional, and COPE announces types before their
  // payload schema is published, so only a known type's contract can judge it.
  data?: unknown;
}
