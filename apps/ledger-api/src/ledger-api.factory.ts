import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import type { LedgerConfiguration } from '#configuration';
import { openEventStore, SQLITE_APPEND_WORKER_SCRIPT, type EventStore } from '#event-store';
import { PROJECTION_WORKER_SCRIPT } from '#read-models';
import { registerRawJsonBodyParser } from './http/raw-json-body.parser.js';
import { ShutdownGate } from './http/shutdown-gate.js';
import { LedgerApiModule } from './ledger-api.module.js';
import { LedgerMetrics } from './metrics/ledger-metrics.js';
import { PinoLoggerService } from './logging/pino-logger.service.js';
import { registerWebhookRouteHook } from './webhooks/webhook-route.hook.js';
import {
  CompletedRequestLogging,
  registerRequestContext,
  requestId,
} from './logging/request-logging.js';

export interface LedgerApiOptions {
  readonly logger: Logger;
  /** A store opened by the caller (tests); by default the configuration's store is opened. */
  readonly store?: EventStore;
  /**
   * Serve the Swagger UI's assets at /docs (default true). Jest cannot load
   * `@fastify/static` (it requires an ES module, which Jest's runtime refuses before
   * Node 24.9), so in-process tests turn the UI off; /docs-json is always served.
   */
  readonly docsUi?: boolean;
  /**
   * Where projections run: by default a worker thread of this process (the compiled
   * `projection.worker.js` beside the read-models library in `dist/`), so applying
   * events never holds up HTTP; a path to that script (tests run from sources), or
   * `false` to run them on the main thread.
   */
  readonly projectionWorker?: string | URL | false;
  /**
   * Where the embedded store commits: by default its append worker thread (the compiled
   * `sqlite-append.worker.js`), so that fsyncs never block HTTP; a path to that script
   * (tests run from sources), or `false` to commit on the main thread.
   */
  readonly appendWorker?: string | URL | false;
  /** Closed by the caller when shutdown begins (see ShutdownGate); by default never closed. */
  readonly shutdownGate?: ShutdownGate;
}

/** Builds the HTTP application on Fastify, ready to `listen`; the caller owns its lifetime. */
export async function createLedgerApi(
  configuration: LedgerConfiguration,
  options: LedgerApiOptions,
): Promise<NestFastifyApplication> {
  const metrics = new LedgerMetrics();
  const appendWorker = options.appendWorker ?? SQLITE_APPEND_WORKER_SCRIPT;
  const store = metrics.instrument(
    options.store ?? openEventStore(configuration, appendWorker ? { appendWorker } : {}),
  );
  const adapter = new FastifyAdapter({
    loggerInstance: options.logger,
    // One line per request, at completion (see CompletedRequestLogging).
    logController: new CompletedRequestLogging(),
    genReqId: requestId,
    bodyLimit: configuration.webhookMaxBytes,
    // Finish in-flight requests at shutdown, drop idle keep-alive connections.
    forceCloseConnections: 'idle',
    // Requests arriving while the server closes meet the ShutdownGate's 503 (problem
    // details, Retry-After) rather than Fastify's own.
    return503OnClosing: false,
  });
  // First of the hooks: once shutdown began, nothing else runs for a new request.
  (options.shutdownGate ?? new ShutdownGate()).register(adapter.getInstance());
  registerRawJsonBodyParser(adapter.getInstance());
  registerRequestContext(adapter.getInstance());
  // Before Nest adds its routes: the hook attaches itself to the webhook route as it is added.
  registerWebhookRouteHook(adapter.getInstance(), configuration);
  const app = await NestFactory.create<NestFastifyApplication>(
    LedgerApiModule.with(
      configuration,
      store,
      metrics,
      options.projectionWorker ?? PROJECTION_WORKER_SCRIPT,
    ),
    adapter,
    { logger: new PinoLoggerService(options.logger), bodyParser: false },
  );
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('ticket-ledger')
      .setDescription(
        'Event-sourced reconciliation of ticketing webhooks (COPE, London Theatre Direct, Ingresse): intake, reconciled reads, projections and audit.',
      )
      .setVersion('1')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        description: 'An API key of API_KEYS; each route states its role in x-required-role',
      })
      .build(),
  );
  // UI at /docs, the document at /docs-json: generated from the controllers and DTOs.
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    ui: options.docsUi ?? true,
  });
  return app;
}
