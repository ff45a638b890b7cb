import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { EventStore, StoreHealth } from '#event-store';
import { EVENT_STORE } from '../event-store.module.js';

interface ReadinessAnswer {
  status: 'ok' | 'unavailable';
  store: StoreHealth;
}

@Controller('health')
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Readiness: 200 while the store answers, 503 when it does not. */
  @Get()
  async readiness(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessAnswer> {
    const store = await this.store.health();
    const ready = store.status === 'up';
    void reply.status(ready ? 200 : 503);
    return { status: ready ? 'ok' : 'unavailable', store };
  }

  /** Liveness: 200 while the process serves requests. */
  @Get('live')
  @HttpCode(200)
  liveness(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
