import { join } from 'node:path';
import {
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  AuditIndex,
  AuditQueries,
  auditProjection,
  IntegrityCheckpointer,
  readModelHeadSource,
} from '#audit';
import type { LedgerConfiguration } from '#configuration';
import type { EventStore } from '#event-store';
import type { ReadModels } from '#read-models';
import { RedeliveryLog } from '#webhook-intake';
import { CONFIGURATION } from '../configuration.token.js';
import { EVENT_STORE } from '../event-store.module.js';
import { ReadModelsModule } from '../read-models/read-models.module.js';
import { READ_MODELS } from '../read-models/read-models.tokens.js';
import { AuditReadHandler } from './audit-read.queries.js';
import { AuditController } from './audit.controller.js';
import { AUDIT_QUERIES, AUDIT_REDELIVERIES } from './audit.tokens.js';

/** How often an integrity checkpoint is considered (appended only when something changed). */
export const CHECKPOINT_INTERVAL_MS = 60_000;
/** At shutdown, how long the last checkpoint waits for the audit read model to catch up. */
const SHUTDOWN_CHECKPOINT_WAIT_MS = 2000;

/**
 * The audit routes and the integrity checkpointer. The checkpointer runs from
 * bootstrap; at shutdown it stops and takes a last checkpoint — in `onModuleDestroy`,
 * which Nest runs before any `beforeApplicationShutdown`, so the read models (closed
 * then) and the store (closed last) are still open.
 */
@Module({
  imports: [ReadModelsModule],
  controllers: [AuditController],
  providers: [
    AuditReadHandler,
    {
      provide: AUDIT_REDELIVERIES,
      inject: [CONFIGURATION],
      useFactory: (configuration: LedgerConfiguration) =>
        RedeliveryLog.open(join(configuration.dataDir, 'intake.sqlite')),
    },
    {
      provide: AUDIT_QUERIES,
      inject: [EVENT_STORE, READ_MODELS, AUDIT_REDELIVERIES],
      useFactory: (store: EventStore, readModels: ReadModels, redeliveries: RedeliveryLog) =>
        new AuditQueries({
          store,
          index: () =>
            readModels.queries(auditProjection.name, (db, table) => new AuditIndex(db, table)),
          redeliveries,
        }),
    },
    {
      provide: IntegrityCheckpointer,
      inject: [EVENT_STORE, READ_MODELS],
      useFactory: (store: EventStore, readModels: ReadModels) => {
        const logger = new Logger('Audit');
        return new IntegrityCheckpointer({
          store,
          heads: readModelHeadSource(readModels),
          onError: (error) => {
            logger.warn(
              `integrity checkpoint failed: ${error instanceof Error ? error.message : String(error)}`,
            );
          },
        });
      },
    },
  ],
  exports: [IntegrityCheckpointer],
})
export class AuditModule implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger('Audit');

  constructor(
    @Inject(IntegrityCheckpointer) private readonly checkpointer: IntegrityCheckpointer,
    @Inject(AUDIT_REDELIVERIES) private readonly redeliveries: RedeliveryLog,
  ) {}

  onApplicationBootstrap(): void {
    this.checkpointer.start(CHECKPOINT_INTERVAL_MS);
  }

  async onModuleDestroy(): Promise<void> {
    this.checkpointer.stop();
    try {
      const result = await this.checkpointer.checkpointNow({
        waitMs: SHUTDOWN_CHECKPOINT_WAIT_MS,
      });
      if (result.appended) {
        this.logger.log(
          `integrity checkpoint at position ${String(result.position)}: ${String(result.changedStreams)} streams changed`,
        );
      }
    } catch (error) {
      this.logger.warn(
        `last integrity checkpoint failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  onApplicationShutdown(): void {
    this.redeliveries.close();
  }
}
