/** The one documented Ingresse webhook (seed 003): a ticket type or group created or updated. */
export const INGRESSE_TICKET = 'ticket';

export const INGRESSE_WEBHOOKS = [INGRESSE_TICKET] as const;

export type IngresseWebhookName = (typeof INGRESSE_WEBHOOKS)[number];

export function isIngresseWebhookName(value: unknown): value is IngresseWebhookName {
  return INGRESSE_WEBHOOKS.some((name) => name === value);
}

/**
 * The envelope members only Ingresse sends (every webhook carries `webhook`, `data` and
 * `timestamp`): `data` is left out, since a COPE CloudEvent has one too.
 */
export const INGRESSE_IDENTIFYING_KEYS = ['webhook', 'timestamp'] as const;
