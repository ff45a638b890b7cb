import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';

export class ProjectionFailureDto {
  @ApiProperty({ description: 'Global position of the event that could not be applied' })
  position!: number;

  @ApiProperty()
  error!: string;
}

export class RebuildProgressDto {
  @ApiProperty({ format: 'uuid' })
  rebuildId!: string;

  @ApiProperty()
  version!: number;

  @ApiProperty({ description: 'Events read so far' })
  processed!: number;

  @ApiProperty({ description: 'Head position of the log when the rebuild started' })
  total!: number;

  @ApiProperty()
  percent!: number;

  @ApiProperty({ format: 'date-time' })
  startedAt!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  finishedAt!: string | null;

  @ApiPropertyOptional({ type: ProjectionFailureDto })
  failure?: ProjectionFailureDto;
}

export class ProjectionDto {
  @ApiProperty({ example: 'attendance' })
  name!: string;

  @ApiProperty({ description: 'Version of the build reads answer from' })
  version!: number;

  @ApiProperty({ enum: ['live', 'catching_up', 'rebuilding', 'failed'] })
  status!: 'live' | 'catching_up' | 'rebuilding' | 'failed';

  @ApiProperty({ description: 'Global position the live build has applied' })
  checkpoint!: number;

  @ApiProperty()
  headPosition!: number;

  @ApiProperty({ description: 'headPosition − checkpoint' })
  lag!: number;

  @ApiPropertyOptional({ type: ProjectionFailureDto })
  failure?: ProjectionFailureDto;

  @ApiPropertyOptional({ type: RebuildProgressDto })
  rebuild?: RebuildProgressDto;
}

/** `GET /projections/{name}`: the list item, with `rebuild` null rather than absent. */
export class ProjectionDetailDto extends OmitType(ProjectionDto, ['rebuild'] as const) {
  @ApiProperty({
    type: RebuildProgressDto,
    nullable: true,
    description: 'The rebuild in progress or the last one that finished; null if none ever ran',
  })
  rebuild!: RebuildProgressDto | null;
}

export class RebuildStartedDto {
  @ApiProperty({ format: 'uuid' })
  rebuildId!: string;
}
