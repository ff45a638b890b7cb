import {
  Inject,
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { LedgerConfiguration } from '#configuration';
import type { EventStore } from '#event-store';
import { CONFIGURATION } from '../configuration.token.js';
import { EVENT_STORE } from '../event-store.module.js';
import { PROJECTIONS } from './projection-catalogue.js';
import { ProjectionsController } from './projections.controller.js';
import { ReadModels } from './read-models.js';
import { READ_MODELS } from './read-models.tokens.js';

/** Runs the projections inside the API process and serves their reads. */
@Module({
  controllers: [ProjectionsController],
  providers: [
    {
      provide: READ_MODELS,
      inject: [CONFIGURATION, EVENT_STORE],
      useFactory: (configuration: LedgerConfiguration, store: EventStore) =>
        ReadModels.open(configuration.dataDir, store, PROJECTIONS),
    },
  ],
  exports: [READ_MODELS],
})
export class ReadModelsModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Projections');

  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.readModels.runner.start();
  }

  /** Before the store closes: projections finish their batch and store their checkpoint. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.readModels.close();
    this.logger.log('projections stopped');
  }
}
