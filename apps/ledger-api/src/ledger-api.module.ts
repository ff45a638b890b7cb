import { Module, type DynamicModule } from '@nestjs/common';
import type { LedgerConfiguration } from '#configuration';
import type { EventStore } from '#event-store';
import { EventStoreModule } from './event-store.module.js';
import { HealthController } from './health/health.controller.js';

export const CONFIGURATION = Symbol('LedgerConfiguration');

@Module({})
export class LedgerApiModule {
  static with(configuration: LedgerConfiguration, store: EventStore): DynamicModule {
    return {
      module: LedgerApiModule,
      imports: [EventStoreModule.with(store)],
      controllers: [HealthController],
      providers: [{ provide: CONFIGURATION, useValue: configuration }],
    };
  }
}
