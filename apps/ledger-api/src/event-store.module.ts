import { Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { EventStore } from '#event-store';

export const EVENT_STORE = Symbol('EventStore');

/**
 * Hands the already-opened store to the application, and closes it last at shutdown:
 * Nest calls `onApplicationShutdown` after the HTTP server has drained, so in-flight
 * appends have finished by then.
 */
@Module({})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  static with(store: EventStore) {
    return {
      module: EventStoreModule,
      global: true,
      providers: [{ provide: EVENT_STORE, useValue: store }],
      exports: [EVENT_STORE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    new Logger('EventStore').log('event store closed');
  }
}
