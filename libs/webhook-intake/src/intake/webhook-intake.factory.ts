import { join } from 'node:path';
import type { LedgerConfiguration } from '#configuration';
import type { EventStore } from '#event-store';
import { LedgerWriter, PROVIDERS, type Provider } from '#ledger';
import { createWebhookAuthenticator, type WebhookAuthenticator } from '../authentication/index.js';
import { loadDataKey } from './data-key.js';
import { RedeliveryLog } from './redelivery-log.js';
import { WebhookIntake } from './webhook-intake.js';

export function webhookAuthenticators(
  configuration: LedgerConfiguration,
): Record<Provider, WebhookAuthenticator> {
  const entries = PROVIDERS.map((provider) => {
    const { scheme, secrets, signatureHeader } = configuration.webhooks[provider];
    const authenticator = createWebhookAuthenticator({
      scheme,
      secrets,
      signatureHeader,
      toleranceSeconds: configuration.webhookToleranceSeconds,
    });
    return [provider, authenticator] as const;
  });
  return Object.fromEntries(entries) as Record<Provider, WebhookAuthenticator>;
}

export interface OpenedWebhookIntake {
  readonly intake: WebhookIntake;
  /** Closes the intake's own files (the redelivery log); the store stays open. */
  close(): void;
}

/** The intake as the configuration describes it, on a store the caller owns (API and CLI alike). */
export function openWebhookIntake(
  configuration: LedgerConfiguration,
  store: EventStore,
): OpenedWebhookIntake {
  const redeliveries = RedeliveryLog.open(join(configuration.dataDir, 'intake.sqlite'));
  const intake = new WebhookIntake({
    store,
    writer: new LedgerWriter(store),
    authenticators: webhookAuthenticators(configuration),
    redeliveries,
    dataKey: loadDataKey(configuration.dataDir, configuration.dataKey),
  });
  return {
    intake,
    close: () => {
      redeliveries.close();
    },
  };
}
