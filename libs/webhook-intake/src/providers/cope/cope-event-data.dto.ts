import 'reflect-metadata';

import { IsString, Matches } from 'class-validator';

import { IsIsoInstant } from '../../validation/iso-instant.decorator.js';
import { IsRequired } from '../../validation/is-required.decorator.js';

/** What the data of every documented COPE type carries (`event_type` is per type). */
export abstract class CopeEventDataDto {
  // The seeds fix "1.0"; a later 1.x only adds fields, so it is read with the v1 contract.
  @IsRequired()
  @Matches(/^1\.\d+$/, { message: 'schema_version must be "1.<minor>" (major version 1)' })
  @IsString()
  schema_version!: string;

  @IsRequired()
  @IsIsoInstant()
  occurred_at!: string;
}
