import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { EventStore, StoreHealth } from '#event-store';
import type { ProjectionState } from '#projections';
import { EVENT_STORE } from '../event-store.module.js';
import { RETRY_AFTER_SECONDS } from '../http/problem-details.filter.js';
import type { ReadModels } from '#read-models';
import { READ_MODELS } from '../read-models/read-models.tokens.js';
import { PublicRoute } from '../security/roles.js';

interface ReadinessAnswer {
  /** `degraded`: a projection failed; intake keeps working, so the service stays ready. */
  status: 'ok' | 'degraded' | 'unavailable';
  store: StoreHealth;
  projections: Pick<ProjectionState, 'name' | 'version' | 'status' | 'checkpoint'>[];
}

@PublicRoute('operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
  ) {}

  /** Readiness: 200 while the store answers, 503 when it does not. */
  @Get()
  async readiness(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessAnswer> {
    const store = await this.store.health();
    const ready = store.status === 'up';
    // A store that is down has no head to measure lag against: the stored states then.
    const states = ready
      ? await this.readModels.runner.states().catch(() => this.readModels.runner.storedStates())
      : this.readModels.runner.storedStates();
    const projections = states.map(({ name, version, status, checkpoint }) => ({
      name,
      version,
      status,
      checkpoint,
    }));
    const degraded = projections.some((projection) => projection.status === 'failed');
    void reply.status(ready ? 200 : 503);
    // Like every 503 the unavailable store causes (quality.md, "store down").
    if (!ready) void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    return { status: ready ? (degraded ? 'degraded' : 'ok') : 'unavailable', store, projections };
  }

  /** Liveness: 200 while the process serves requests. */
  @Get('live')
  @HttpCode(200)
  liveness(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
