import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { RebuildInProgressError, type ProjectionState } from '#projections';
import { EVENT_STORE } from '../event-store.module.js';
import type { EventStore } from '#event-store';
import { problem } from '../http/problem-details.js';
import { ProblemDetailsDto } from '../http/problem-details.dto.js';
import { ProblemException } from '../http/problem-details.filter.js';
import { ProjectionDetailDto, ProjectionDto, RebuildStartedDto } from './projection.dto.js';
import { READ_MODELS } from './read-models.tokens.js';
import type { ReadModels } from '#read-models';
import { notFound } from './read-consistency.js';
import { RequiresRole } from '../security/roles.js';

function withoutRebuild(
  state: ProjectionState,
  headPosition: number,
): Omit<ProjectionDto, 'rebuild'> {
  return {
    name: state.name,
    version: state.version,
    status: state.status,
    checkpoint: state.checkpoint,
    headPosition,
    lag: Math.max(0, headPosition - state.checkpoint),
    ...(state.failure ? { failure: state.failure } : {}),
  };
}

/** A list item: `rebuild` only once one ran (`rebuild?` in api.md). */
function answer(state: ProjectionState, headPosition: number): ProjectionDto {
  return {
    ...withoutRebuild(state, headPosition),
    ...(state.rebuild ? { rebuild: state.rebuild } : {}),
  };
}

@ApiTags('Projections')
@RequiresRole('admin')
@Controller('projections')
export class ProjectionsController {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get()
  @HttpCode(200)
  @ApiOkResponse({ type: [ProjectionDto] })
  async list(): Promise<ProjectionDto[]> {
    const [states, head] = await Promise.all([
      this.readModels.runner.states(),
      this.store.headPosition(),
    ]);
    return states.map((state) => answer(state, head));
  }

  /** One item of the list, whose `rebuild` is always there: null until a rebuild ran (api.md). */
  @Get(':name')
  @ApiOkResponse({ type: ProjectionDetailDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async one(@Param('name') name: string): Promise<ProjectionDetailDto> {
    const state = await this.readModels.runner.state(name);
    if (!state) throw notFound(`Projection ${name}`);
    return {
      ...withoutRebuild(state, await this.store.headPosition()),
      rebuild: state.rebuild ?? null,
    };
  }

  /** Builds a fresh copy from position 0 beside the live one, then swaps; reads keep answering. */
  @Post(':name/rebuild')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: RebuildStartedDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  @ApiConflictResponse({
    type: ProblemDetailsDto,
    description: 'A rebuild of this projection is running',
  })
  async rebuild(@Param('name') name: string): Promise<RebuildStartedDto> {
    if (!this.readModels.runner.has(name)) throw notFound(`Projection ${name}`);
    try {
      return await this.readModels.runner.rebuild(name);
    } catch (error) {
      if (!(error instanceof RebuildInProgressError)) throw error;
      throw new ProblemException(
        problem(409, 'Rebuild in progress', `Projection ${name} is already being rebuilt.`, {
          rebuildId: error.rebuildId,
        }),
      );
    }
  }
}
