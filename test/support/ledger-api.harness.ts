import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Webhook } from 'standardwebhooks';
import { loadConfiguration } from '#configuration';
import { createLedgerApi } from '../../apps/ledger-api/src/ledger-api.factory.js';
import { createLogger } from '../../apps/ledger-api/src/logging/create-logger.js';

/** A COPE secret in the Standard Webhooks format (base64 key material after `whsec_`). */
export const COPE_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const LTD_TOKEN = 'ltd-test-token';
export const INGRESSE_TOKEN = 'ingresse-test-token';

/** Secrets for every provider, with their default schemes. */
export const PROVIDER_SECRETS: Record<string, string> = {
  COPE_WEBHOOK_SECRET: COPE_SECRET,
  LTD_WEBHOOK_SECRET: LTD_TOKEN,
  INGRESSE_WEBHOOK_SECRET: INGRESSE_TOKEN,
};

export interface RunningLedgerApi {
  readonly url: string;
  readonly dataDir: string;
  readonly app: NestFastifyApplication;
  /** Stops the server, closing its store; the data directory stays. */
  stop(): Promise<void>;
  /** Stops, then starts a new server on the same data directory. */
  restart(): Promise<RunningLedgerApi>;
  /** Stops and removes the data directory. */
  dispose(): Promise<void>;
}

/**
 * The API in this process, on a real loopback port and a real SQLite file in a fresh
 * directory: what `npm start` runs, with the environment given.
 */
export async function startLedgerApi(
  env: Record<string, string> = {},
  dataDir = mkdtempSync(join(tmpdir(), 'ticket-ledger-api-')),
  /** Receives every log line (JSON) when given; logs are silent otherwise. */
  logLines?: string[],
): Promise<RunningLedgerApi> {
  const { configuration } = loadConfiguration({ NODE_ENV: 'test', ...env, DATA_DIR: dataDir });
  const logger = logLines
    ? createLogger('info', {
        write(line: string) {
          logLines.push(line);
        },
      })
    : createLogger('silent');
  const app = await createLedgerApi(configuration, {
    logger,
    docsUi: false,
    // Jest runs the sources; the worker thread runs the build (npm test builds first).
    projectionWorker: fileURLToPath(
      new URL('../../dist/libs/read-models/src/projection.worker.js', import.meta.url),
    ),
    appendWorker: fileURLToPath(
      new URL('../../dist/libs/event-store/src/sqlite/sqlite-append.worker.js', import.meta.url),
    ),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await app.close();
  };
  return {
    url,
    dataDir,
    app,
    stop,
    async restart() {
      await stop();
      return startLedgerApi(env, dataDir, logLines);
    },
    async dispose() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Standard Webhooks headers for a body, signed by the reference `standardwebhooks` signer. */
export function standardWebhookHeaders(
  body: string | Buffer,
  options: { secret?: string; id?: string; at?: Date } = {},
): Record<string, string> {
  const id = options.id ?? `msg_${Math.random().toString(36).slice(2)}`;
  const at = options.at ?? new Date();
  const signature = new Webhook(options.secret ?? COPE_SECRET).sign(id, at, body);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signature,
  };
}

export interface PostOptions {
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
}

/** POSTs a body as given (string or bytes) and reads the JSON answer. */
export async function post(
  url: string,
  body: string | Buffer,
  options: PostOptions = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': options.contentType ?? 'application/json', ...options.headers },
    body,
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

/** A COPE delivery signed with the test secret. */
export function postCope(api: { url: string }, body: string, options: PostOptions = {}) {
  return post(`${api.url}/webhooks/cope`, body, {
    contentType: 'application/cloudevents+json',
    ...options,
    headers: { ...standardWebhookHeaders(body), ...options.headers },
  });
}

export function postLtd(api: { url: string }, body: string, options: PostOptions = {}) {
  return post(`${api.url}/webhooks/ltd`, body, {
    ...options,
    headers: { authorization: `Bearer ${LTD_TOKEN}`, ...options.headers },
  });
}

export function postIngresse(api: { url: string }, body: string, options: PostOptions = {}) {
  return post(`${api.url}/webhooks/ingresse`, body, {
    ...options,
    headers: { authorization: `Bearer ${INGRESSE_TOKEN}`, ...options.headers },
  });
}
