/**
 * The service's configuration, read once from environment variables and validated
 * before anything starts: a bad value stops the process with a message naming the
 * variable (product.md, "Configuration").
 */
import { EventStoreDBClient } from '@eventstore/db-client';

export const PROVIDERS = ['cope', 'ltd', 'ingresse'] as const;
export type Provider = (typeof PROVIDERS)[number];

export const WEBHOOK_AUTH_SCHEMES = ['standard-webhooks', 'hmac-sha256', 'token', 'off'] as const;
export type WebhookAuthScheme = (typeof WEBHOOK_AUTH_SCHEMES)[number];

export const API_ROLES = ['reader', 'auditor', 'admin'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ProviderWebhookConfiguration {
  readonly scheme: WebhookAuthScheme;
  /** Several secrets during a rotation; empty when none is configured. */
  readonly secrets: readonly string[];
  /** Lower-case header name carrying the `hmac-sha256` signature. */
  readonly signatureHeader: string;
}

export interface LedgerConfiguration {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly eventStoreConnectionString: string | undefined;
  readonly nodeEnv: 'development' | 'production' | 'test';
  /** API key → role; undefined leaves the API open (development only). */
  readonly apiKeys: ReadonlyMap<string, ApiRole> | undefined;
  readonly webhooks: Readonly<Record<Provider, ProviderWebhookConfiguration>>;
  readonly webhookToleranceSeconds: number;
  readonly webhookMaxBytes: number;
  /** Key for keyed hashes of personal data; undefined: generated once into DATA_DIR. */
  readonly dataKey: string | undefined;
  readonly logLevel: LogLevel;
}

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';

  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
  }
}

export interface LoadedConfiguration {
  readonly configuration: LedgerConfiguration;
  /** Things worth saying once at start (an open API, a provider without a secret). */
  readonly warnings: readonly string[];
}

const DEFAULT_SCHEMES: Record<Provider, WebhookAuthScheme> = {
  cope: 'standard-webhooks',
  ltd: 'token',
  ingresse: 'token',
};

type Environment = Readonly<Record<string, string | undefined>>;

export function loadConfiguration(env: Environment): LoadedConfiguration {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'], 'development');
  const production = nodeEnv === 'production';
  const warnings: string[] = [];

  const webhook = (provider: Provider) => providerWebhook(env, provider, production, warnings);
  const webhooks = { cope: webhook('cope'), ltd: webhook('ltd'), ingresse: webhook('ingresse') };

  const apiKeys = parseApiKeys(env['API_KEYS']);
  if (!apiKeys) {
    if (production) {
      throw new ConfigurationError('API_KEYS', 'required with NODE_ENV=production');
    }
    warnings.push('API_KEYS is not set: every route is open (development only)');
  }

  const connectionString = env['EVENTSTORE_CONNECTION_STRING']?.trim() || undefined;
  if (connectionString) checkConnectionString(connectionString);

  const dataKey = env['DATA_KEY']?.trim() || undefined;
  if (dataKey !== undefined && dataKey.length < 32) {
    warnings.push('DATA_KEY is shorter than 32 characters: consent stream ids are easier to guess');
  }

  return {
    configuration: {
      port: integer(env, 'PORT', 3000, 0, 65_535),
      host: text(env, 'HOST', '127.0.0.1'),
      dataDir: text(env, 'DATA_DIR', './data'),
      eventStoreConnectionString: connectionString,
      nodeEnv,
      apiKeys,
      webhooks,
      // No bounds beyond the spec's: 0 still accepts a delivery signed in the same second
      // (the check is |now - timestamp| <= tolerance, in whole seconds), and any positive
      // byte limit is a limit (a small one makes 413 easy to test).
      webhookToleranceSeconds: integer(
        env,
        'WEBHOOK_TOLERANCE_SECONDS',
        300,
        0,
        Number.MAX_SAFE_INTEGER,
      ),
      webhookMaxBytes: integer(env, 'WEBHOOK_MAX_BYTES', 1_048_576, 1, Number.MAX_SAFE_INTEGER),
      dataKey,
      logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    },
    warnings,
  };
}

function providerWebhook(
  env: Environment,
  provider: Provider,
  production: boolean,
  warnings: string[],
): ProviderWebhookConfiguration {
  const prefix = provider.toUpperCase();
  const scheme = oneOf(
    env,
    `${prefix}_WEBHOOK_AUTH`,
    WEBHOOK_AUTH_SCHEMES,
    DEFAULT_SCHEMES[provider],
  );
  const secrets = list(env[`${prefix}_WEBHOOK_SECRET`]);
  const signatureHeader = text(env, `${prefix}_WEBHOOK_SIGNATURE_HEADER`, 'x-signature');
  if (!/^[a-z0-9-]+$/i.test(signatureHeader)) {
    throw new ConfigurationError(
      `${prefix}_WEBHOOK_SIGNATURE_HEADER`,
      'must be an HTTP header name',
    );
  }
  if (scheme === 'standard-webhooks' && !secrets.every(isStandardWebhooksSecret)) {
    throw new ConfigurationError(
      `${prefix}_WEBHOOK_SECRET`,
      'standard-webhooks secrets are base64, optionally prefixed whsec_',
    );
  }
  if (scheme !== 'off' && secrets.length === 0) {
    if (production) {
      throw new ConfigurationError(
        `${prefix}_WEBHOOK_SECRET`,
        `required with NODE_ENV=production (or set ${prefix}_WEBHOOK_AUTH=off)`,
      );
    }
    warnings.push(
      `${prefix}_WEBHOOK_SECRET is not set: ${provider} webhooks are accepted unauthenticated`,
    );
  }
  return { scheme, secrets, signatureHeader: signatureHeader.toLowerCase() };
}

function text(env: Environment, variable: string, fallback: string): string {
  const value = env[variable]?.trim();
  return value === undefined || value === '' ? fallback : value;
}

function integer(
  env: Environment,
  variable: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[variable]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw))
    throw new ConfigurationError(variable, `must be an integer, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigurationError(variable, `must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

function oneOf<const T extends string>(
  env: Environment,
  variable: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = env[variable]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = allowed.find((candidate) => candidate === raw);
  if (value === undefined) {
    throw new ConfigurationError(variable, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return value;
}

function list(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function isStandardWebhooksSecret(secret: string): boolean {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  return /^[A-Za-z0-9+/]+={0,2}$/.test(encoded) && encoded.length >= 4;
}

/** `key:role,key:role`; the error never repeats a key, only its position. */
function parseApiKeys(raw: string | undefined): Map<string, ApiRole> | undefined {
  const entries = list(raw);
  if (entries.length === 0) return undefined;
  const keys = new Map<string, ApiRole>();
  entries.forEach((entry, index) => {
    const separator = entry.lastIndexOf(':');
    const key = entry.slice(0, separator);
    const role = API_ROLES.find((candidate) => candidate === entry.slice(separator + 1));
    if (separator <= 0 || role === undefined) {
      throw new ConfigurationError(
        'API_KEYS',
        `entry ${index + 1} must be key:role with role ${API_ROLES.join(', ')}`,
      );
    }
    keys.set(key, role);
  });
  return keys;
}

/**
 * Parsed by the client itself, so that whatever it would refuse at start-up (a scheme it
 * does not know, `tls=maybe`) stops the process here, naming the variable. The client
 * only connects on its first call: creating and disposing it costs no round trip.
 */
function checkConnectionString(value: string): void {
  try {
    void EventStoreDBClient.connectionString(value).dispose();
  } catch (error) {
    throw new ConfigurationError(
      'EVENTSTORE_CONNECTION_STRING',
      error instanceof Error ? error.message : String(error),
    );
  }
}
