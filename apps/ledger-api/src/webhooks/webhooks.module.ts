import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { LedgerConfiguration } from '#configuration';
import type { EventStore } from '#event-store';
import { openWebhookIntake, type OpenedWebhookIntake } from '#webhook-intake';
import { CONFIGURATION } from '../configuration.token.js';
import { EVENT_STORE } from '../event-store.module.js';
import { ParkedController } from './parked.controller.js';
import { ReceiveWebhookHandler, WEBHOOK_INTAKE } from './receive-webhook.command.js';
import { ReprocessParkedHandler } from './reprocess-parked.command.js';
import { WebhooksController } from './webhooks.controller.js';

const OPENED_INTAKE = Symbol('OpenedWebhookIntake');

@Module({
  controllers: [WebhooksController, ParkedController],
  providers: [
    ReceiveWebhookHandler,
    ReprocessParkedHandler,
    {
      provide: OPENED_INTAKE,
      inject: [CONFIGURATION, EVENT_STORE],
      useFactory: (configuration: LedgerConfiguration, store: EventStore) =>
        openWebhookIntake(configuration, store),
    },
    {
      provide: WEBHOOK_INTAKE,
      inject: [OPENED_INTAKE],
      useFactory: (opened: OpenedWebhookIntake) => opened.intake,
    },
  ],
})
export class WebhooksModule implements OnApplicationShutdown {
  constructor(@Inject(OPENED_INTAKE) private readonly opened: OpenedWebhookIntake) {}

  onApplicationShutdown(): void {
    this.opened.close();
  }
}
