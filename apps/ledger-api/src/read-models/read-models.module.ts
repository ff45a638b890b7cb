import {
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { LedgerConfiguration } from '#configuration';
import type { EventStore } from '#event-store';
import { CONFIGURATION } from '../configuration.token.js';
import { EVENT_STORE } from '../event-store.module.js';
import { ProjectionsController } from './projections.controller.js';
import { ReconciledReadHandler } from './reconciled-read.queries.js';
import { ReconciledReadsController } from './reconciled-reads.controller.js';
import { PROJECTIONS, ReadModels } from '#read-models';
import type { LedgerMetrics } from '../metrics/ledger-metrics.js';
import { LEDGER_METRICS } from '../metrics/metrics.tokens.js';
import {
  PROJECTION_WORKER,
  READ_MODELS,
  type ProjectionWorkerSetting,
} from './read-models.tokens.js';

/** Runs the projections inside the API process and serves their reads. */
@Module({
  controllers: [ProjectionsController, ReconciledReadsController],
  providers: [
    ReconciledReadHandler,
    {
      provide: READ_MODELS,
      inject: [CONFIGURATION, EVENT_STORE, PROJECTION_WORKER],
      useFactory: (
        configuration: LedgerConfiguration,
        store: EventStore,
        worker: ProjectionWorkerSetting,
      ) => {
        const logger = new Logger('Projections');
        return ReadModels.open({
          dataDir: configuration.dataDir,
          store,
          projections: PROJECTIONS,
          ...(worker === false
            ? {}
            : {
                worker: {
                  script: worker,
                  eventStoreConnectionString: configuration.eventStoreConnectionString,
                },
              }),
          onFailure: (name, build, error) => {
            logger.error(
              `projection ${name} v${String(build.version)} (build ${String(build.build)}) failed: ${error instanceof Error ? error.message : String(error)}`,
            );
          },
        });
      },
    },
  ],
  exports: [READ_MODELS],
})
export class ReadModelsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Projections');

  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(LEDGER_METRICS) private readonly metrics: LedgerMetrics,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.metrics.observeProjections(this.readModels.runner, this.store);
    await this.readModels.runner.start();
  }

  /**
   * After the HTTP server has drained (reads in flight still have their database): the
   * worker finishes its batch, stores its checkpoints and closes its own connections.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.readModels.close();
    this.logger.log('projections stopped');
  }
}
