import { join } from 'node:path';
import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { LedgerConfiguration } from '#configuration';
import type { EventStore } from '#event-store';
import { LedgerWriter, PROVIDERS, type Provider } from '#ledger';
import {
  createWebhookAuthenticator,
  loadDataKey,
  RedeliveryLog,
  WebhookIntake,
  type WebhookAuthenticator,
} from '#webhook-intake';
import { CONFIGURATION } from '../configuration.token.js';
import { EVENT_STORE } from '../event-store.module.js';
import { ParkedController } from './parked.controller.js';
import { ReceiveWebhookHandler, WEBHOOK_INTAKE } from './receive-webhook.command.js';
import { ReprocessParkedHandler } from './reprocess-parked.command.js';
import { WebhooksController } from './webhooks.controller.js';

const REDELIVERY_LOG = Symbol('RedeliveryLog');

export function webhookAuthenticators(
  configuration: LedgerConfiguration,
): Record<Provider, WebhookAuthenticator> {
  const entries = PROVIDERS.map((provider) => {
    const { scheme, secrets, signatureHeader } = configuration.webhooks[provider];
    return [
      provider,
      createWebhookAuthenticator({
        scheme,
        secrets,
        signatureHeader,
        toleranceSeconds: configuration.webhookToleranceSeconds,
      }),
    ] as const;
  });
  return Object.fromEntries(entries) as Record<Provider, WebhookAuthenticator>;
}

@Module({
  controllers: [WebhooksController, ParkedController],
  providers: [
    ReceiveWebhookHandler,
    ReprocessParkedHandler,
    {
      provide: REDELIVERY_LOG,
      inject: [CONFIGURATION],
      useFactory: (configuration: LedgerConfiguration) =>
        RedeliveryLog.open(join(configuration.dataDir, 'intake.sqlite')),
    },
    {
      provide: WEBHOOK_INTAKE,
      inject: [CONFIGURATION, EVENT_STORE, REDELIVERY_LOG],
      useFactory: (
        configuration: LedgerConfiguration,
        store: EventStore,
        redeliveries: RedeliveryLog,
      ) =>
        new WebhookIntake({
          store,
          writer: new LedgerWriter(store),
          authenticators: webhookAuthenticators(configuration),
          redeliveries,
          dataKey: loadDataKey(configuration.dataDir, configuration.dataKey),
        }),
    },
  ],
})
export class WebhooksModule implements OnApplicationShutdown {
  constructor(@Inject(REDELIVERY_LOG) private readonly redeliveries: RedeliveryLog) {}

  onApplicationShutdown(): void {
    this.redeliveries.close();
  }
}
