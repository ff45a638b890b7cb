import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import type { LedgerConfiguration } from '#configuration';
import type { EventStore } from '#event-store';
import { AuditModule } from './audit/audit.module.js';
import { CONFIGURATION } from './configuration.token.js';
import { EventStoreModule } from './event-store.module.js';
import { HealthController } from './health/health.controller.js';
import { ProblemDetailsFilter } from './http/problem-details.filter.js';
import type { LedgerMetrics } from './metrics/ledger-metrics.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { LEDGER_METRICS } from './metrics/metrics.tokens.js';
import { ReadModelsModule } from './read-models/read-models.module.js';
import {
  PROJECTION_WORKER,
  type ProjectionWorkerSetting,
} from './read-models/read-models.tokens.js';
import { ApiKeyGuard } from './security/api-key.guard.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

@Module({})
export class LedgerApiModule {
  static with(
    configuration: LedgerConfiguration,
    store: EventStore,
    metrics: LedgerMetrics,
    projectionWorker: ProjectionWorkerSetting,
  ): DynamicModule {
    return {
      module: LedgerApiModule,
      imports: [
        CqrsModule.forRoot(),
        EventStoreModule.with(store),
        {
          module: class ConfigurationModule {},
          global: true,
          providers: [
            { provide: CONFIGURATION, useValue: configuration },
            { provide: LEDGER_METRICS, useValue: metrics },
            { provide: PROJECTION_WORKER, useValue: projectionWorker },
          ],
          exports: [CONFIGURATION, LEDGER_METRICS, PROJECTION_WORKER],
        },
        WebhooksModule,
        ReadModelsModule,
        AuditModule,
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
      ],
    };
  }
}
