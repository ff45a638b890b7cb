import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PublicRoute } from '../security/roles.js';
import type { LedgerMetrics } from './ledger-metrics.js';
import { LEDGER_METRICS } from './metrics.tokens.js';

@ApiTags('Operations')
@PublicRoute('operations')
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(LEDGER_METRICS) private readonly metrics: LedgerMetrics) {}

  /** Prometheus text exposition format. */
  @Get()
  @ApiOkResponse({ description: 'Prometheus text format', content: { 'text/plain': {} } })
  async scrape(@Res() reply: FastifyReply): Promise<void> {
    const text = await this.metrics.registry.metrics();
    void reply.header('content-type', this.metrics.registry.contentType).send(text);
  }
}
