import { Controller, Get, HttpCode, Inject, Param } from '@nestjs/common';
import { EVENT_STORE } from '../event-store.module.js';
import type { EventStore } from '#event-store';
import type { ProjectionState } from '#projections';
import { READ_MODELS } from './read-models.tokens.js';
import type { ReadModels } from './read-models.js';
import { notFound } from './read-consistency.js';

export interface ProjectionAnswer {
  readonly name: string;
  readonly version: number;
  readonly status: ProjectionState['status'];
  readonly checkpoint: number;
  readonly headPosition: number;
  /** Log positions not applied yet (events, on the embedded store). */
  readonly lag: number;
  readonly failure?: ProjectionState['failure'];
}

function answer(state: ProjectionState, headPosition: number): ProjectionAnswer {
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

@Controller('projections')
export class ProjectionsController {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get()
  @HttpCode(200)
  async list(): Promise<ProjectionAnswer[]> {
    const head = await this.store.headPosition();
    return this.readModels.runner.states().map((state) => answer(state, head));
  }

  @Get(':name')
  async one(@Param('name') name: string): Promise<ProjectionAnswer> {
    const state = this.readModels.runner.state(name);
    if (!state) throw notFound(`Projection ${name}`);
    return answer(state, await this.store.headPosition());
  }
}
