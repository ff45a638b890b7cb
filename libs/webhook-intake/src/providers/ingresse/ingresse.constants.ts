/** The one documented Ingresse webhook (seed 003): a ticket type or group created or updated. */
export const INGRESSE_TICKET = 'ticket';

export const INGRESSE_WEBHOOKS = [INGRESSE_TICKET] as const;

export type IngresseWebhookName = (typeof INGRESSE_WEBHOOKS)[number];

export function isIngresseWebhookName(value: unknown): value is IngresseWebhookName {
  return INGRESSE_WEBHOOKS.some((name) => name === value);
}

export const INGRESSE_ENVELOPE_KEYS = ['webhook', 'data', 'timestamp'] as const;
