import 'reflect-metadata';
import { ConfigurationError, loadConfiguration, type LoadedConfiguration } from '#configuration';
import { ShutdownGate } from './http/shutdown-gate.js';
import { createLedgerApi } from './ledger-api.factory.js';
import { createLogger } from './logging/create-logger.js';

function configurationOrExit(): LoadedConfiguration {
  try {
    return loadConfiguration(process.env);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    process.stderr.write(`ticket-ledger: invalid configuration: ${error.message}\n`);
    process.exit(78); // EX_CONFIG
  }
}

async function main(): Promise<void> {
  const { configuration, warnings } = configurationOrExit();
  const logger = createLogger(configuration.logLevel);
  for (const warning of warnings) logger.warn(warning);
  const shutdownGate = new ShutdownGate();
  const app = await createLedgerApi(configuration, { logger, shutdownGate });
  // Graceful stop: new requests get 503 at once, in-flight requests (and their appends)
  // finish, projections checkpoint, then the store closes (EventStoreModule) and the
  // process exits 0.
  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down');
    shutdownGate.close();
    app.close().then(
      () => {
        logger.info({ signal }, 'ledger-api stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await app.listen({ port: configuration.port, host: configuration.host });
  logger.info(
    {
      url: await app.getUrl(),
      store: configuration.eventStoreConnectionString ? 'eventstoredb' : 'sqlite',
      dataDir: configuration.dataDir,
    },
    'ledger-api listening',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`ticket-ledger: failed to start: ${String(error)}\n`);
  process.exit(1);
});
