import 'reflect-metadata';
import { ConfigurationError } from '#configuration';
import { withCliContext } from './commands/cli-context.js';
import { reprocessParkedCommand } from './commands/reprocess-parked.command.js';
import { statusCommand } from './commands/status.command.js';

const USAGE = `Usage: npm run cli -- <command>

Commands:
  status             the event store's health and head position
  reprocess-parked   run every unresolved parked delivery through intake again

The CLI reads the same environment as the API (DATA_DIR, EVENTSTORE_CONNECTION_STRING, ...)
and is safe to run beside it.`;

async function main(argv: readonly string[]): Promise<number> {
  const [command] = argv;
  switch (command) {
    case 'status':
      return withCliContext(statusCommand);
    case 'reprocess-parked':
      return withCliContext(reprocessParkedCommand);
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
