import 'reflect-metadata';
import { ConfigurationError, loadConfiguration } from '#configuration';
import { openEventStore } from '#event-store';

const USAGE = `Usage: npm run cli -- <command>

Commands:
  status    the event store's health and head position

The CLI reads the same environment as the API (DATA_DIR, EVENTSTORE_CONNECTION_STRING, ...)
and is safe to run beside it.`;

async function status(): Promise<number> {
  const { configuration } = loadConfiguration(process.env);
  const store = openEventStore(configuration);
  try {
    const health = await store.health();
    const head = health.status === 'up' ? await store.headPosition() : undefined;
    process.stdout.write(
      `${JSON.stringify({ store: health, headPosition: head ?? null }, null, 2)}\n`,
    );
    return health.status === 'up' ? 0 : 1;
  } finally {
    await store.close();
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const [command] = argv;
  switch (command) {
    case 'status':
      return status();
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}\n`);
      return 64; // EX_USAGE
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message =
      error instanceof ConfigurationError
        ? `invalid configuration: ${error.message}`
        : String(error);
    process.stderr.write(`ticket-ledger: ${message}\n`);
    process.exitCode = 1;
  },
);
