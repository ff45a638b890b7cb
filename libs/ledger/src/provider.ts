/** The ticketing platforms whose webhooks the ledger records. */
export const PROVIDERS = ['cope', 'ltd', 'ingresse'] as const;
export type Provider = (typeof PROVIDERS)[number];

export function isProvider(value: string): value is Provider {
  return (PROVIDERS as readonly string[]).includes(value);
}
