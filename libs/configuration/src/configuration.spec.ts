import { ConfigurationError, loadConfiguration } from './configuration.js';

const secrets = {
  COPE_WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  LTD_WEBHOOK_SECRET: 'ltd-token',
  INGRESSE_WEBHOOK_SECRET: 'ingresse-token',
};

function failure(env: Record<string, string>): ConfigurationError {
  try {
    loadConfiguration(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe('loadConfiguration', () => {
  it('given an empty environment, then it uses the documented defaults and warns about secrets and keys', () => {
    const { configuration, warnings } = loadConfiguration({});

    expect(configuration).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: './data',
      eventStoreConnectionString: undefined,
      nodeEnv: 'development',
      apiKeys: undefined,
      webhookToleranceSeconds: 300,
      webhookMaxBytes: 1_048_576,
      webhooks: {
        cope: { scheme: 'standard-webhooks', secrets: [], signatureHeader: 'x-signature' },
        ltd: { scheme: 'token', secrets: [] },
        ingresse: { scheme: 'token', secrets: [] },
      },
    });
    expect(warnings).toHaveLength(4);
    expect(warnings.join('\n')).toContain('COPE_WEBHOOK_SECRET');
    expect(warnings.join('\n')).toContain('API_KEYS');
  });

  it('reads every variable', () => {
    const { configuration, warnings } = loadConfiguration({
      ...secrets,
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: '/var/lib/ledger',
      EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false',
      API_KEYS: 'r-key:reader, a-key:auditor,x:y:admin',
      LTD_WEBHOOK_AUTH: 'hmac-sha256',
      LTD_WEBHOOK_SIGNATURE_HEADER: 'X-LTD-Signature',
      INGRESSE_WEBHOOK_SECRET: 'old, new',
      WEBHOOK_TOLERANCE_SECONDS: '60',
      WEBHOOK_MAX_BYTES: '2048',
      DATA_KEY: 'k'.repeat(32),
      LOG_LEVEL: 'warn',
    });

    expect(configuration).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/var/lib/ledger',
      eventStoreConnectionString: 'esdb://localhost:2113?tls=false',
      webhookToleranceSeconds: 60,
      webhookMaxBytes: 2048,
      dataKey: 'k'.repeat(32),
      logLevel: 'warn',
    });
    expect(configuration.webhooks.ltd).toEqual({
      scheme: 'hmac-sha256',
      secrets: ['ltd-token'],
      signatureHeader: 'x-ltd-signature',
    });
    expect(configuration.webhooks.ingresse.secrets).toEqual(['old', 'new']);
    expect([...(configuration.apiKeys ?? [])]).toEqual([
      ['r-key', 'reader'],
      ['a-key', 'auditor'],
      ['x:y', 'admin'],
    ]);
    expect(warnings).toEqual([]);
  });

  it.each([
    ['PORT', 'http'],
    ['PORT', '70000'],
    ['WEBHOOK_MAX_BYTES', '-1'],
    ['WEBHOOK_TOLERANCE_SECONDS', '1.5'],
    ['NODE_ENV', 'staging'],
    ['COPE_WEBHOOK_AUTH', 'basic'],
    ['EVENTSTORE_CONNECTION_STRING', 'http://localhost:2113'],
    ['EVENTSTORE_CONNECTION_STRING', 'kurrentdb://localhost:2113'],
    ['EVENTSTORE_CONNECTION_STRING', 'esdb://localhost:2113?tls=maybe'],
    ['API_KEYS', 'key-without-role'],
    ['API_KEYS', 'key:superuser'],
    ['LOG_LEVEL', 'loud'],
    ['COPE_WEBHOOK_SECRET', 'not base64!'],
  ])('given %s=%s, then it stops with an error naming the variable', (variable, value) => {
    expect(failure({ [variable]: value }).variable).toBe(variable);
  });

  it.each([
    ['EVENTSTORE_CONNECTION_STRING', 'esdb+discover://a:2113,b:2113?tls=false'],
    ['EVENTSTORE_CONNECTION_STRING', 'esdb://admin:changeit@localhost:2113?tls=true'],
  ])('given %s=%s (a cluster, credentials), then it is taken as given', (variable, value) => {
    expect(loadConfiguration({ [variable]: value }).configuration).toMatchObject({
      eventStoreConnectionString: value,
    });
  });

  it.each([
    ['WEBHOOK_MAX_BYTES', '1', { webhookMaxBytes: 1 }],
    ['WEBHOOK_MAX_BYTES', '100', { webhookMaxBytes: 100 }],
    ['WEBHOOK_MAX_BYTES', String(128 * 1_048_576), { webhookMaxBytes: 128 * 1_048_576 }],
    ['WEBHOOK_TOLERANCE_SECONDS', '0', { webhookToleranceSeconds: 0 }],
    ['WEBHOOK_TOLERANCE_SECONDS', '604800', { webhookToleranceSeconds: 604_800 }],
  ])('given %s=%s, then it is accepted (the spec bounds neither)', (variable, value, expected) => {
    expect(loadConfiguration({ [variable]: value }).configuration).toMatchObject(expected);
  });

  it.each([
    ['WEBHOOK_MAX_BYTES', '0'],
    ['WEBHOOK_MAX_BYTES', '99999999999999999999'],
    ['WEBHOOK_TOLERANCE_SECONDS', '-1'],
  ])('given %s=%s, then it stops with an error naming the variable', (variable, value) => {
    expect(failure({ [variable]: value }).variable).toBe(variable);
  });

  it('given a short DATA_KEY, then it starts with a warning', () => {
    const { configuration, warnings } = loadConfiguration({ DATA_KEY: 'short' });

    expect(configuration.dataKey).toBe('short');
    expect(warnings.join('\n')).toContain('DATA_KEY');
  });

  it('never repeats an API key in its error', () => {
    expect(failure({ API_KEYS: 'secret-key-123:root' }).message).not.toContain('secret-key-123');
  });

  it('given production without a provider secret, then it refuses to start', () => {
    const { COPE_WEBHOOK_SECRET: _omitted, ...others } = secrets;

    expect(failure({ ...others, NODE_ENV: 'production', API_KEYS: 'k:admin' }).variable).toBe(
      'COPE_WEBHOOK_SECRET',
    );
  });

  it('given production without API keys, then it refuses to start', () => {
    expect(failure({ ...secrets, NODE_ENV: 'production' }).variable).toBe('API_KEYS');
  });

  it('given production with a provider turned off, then that provider needs no secret', () => {
    const { LTD_WEBHOOK_SECRET: _omitted, ...others } = secrets;

    const { configuration } = loadConfiguration({
      ...others,
      NODE_ENV: 'production',
      API_KEYS: 'k:admin',
      LTD_WEBHOOK_AUTH: 'off',
    });

    expect(configuration.webhooks.ltd.scheme).toBe('off');
  });
});
