import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ConfigurationError } from '#configuration';
import { withCliContext } from './commands/cli-context.js';
import { exportCommand } from './commands/export.command.js';
import { importCommand } from './commands/import.command.js';
import { rebuildCommand } from './commands/rebuild.command.js';
import { reprocessParkedCommand } from './commands/reprocess-parked.command.js';
import { statusCommand } from './commands/status.command.js';
import { verifyCommand } from './commands/verify.command.js';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  status                                the event store's health and head, every projection's state
  rebuild <name|all>                    rebuild projections beside the live ones, then swap
                                        (tickets, attendance, delivery, inventory, audit)
  reprocess                             run every unresolved parked delivery through intake again
                                        (also as reprocess-parked)
  import <file|folder> [--provider p]   backfill webhooks saved as JSON or NDJSON (provider
                                        cope, ltd or ingresse; detected when not given)
  export [--output file] [--from n] [--to n]
                                        the global log as NDJSON (positions: after --from,
                                        up to --to), to stdout or a file
  verify [--stream id]                  recompute the integrity hash chains and compare them with
                                        the last checkpoint; the report as JSON, exit 1 on problems

The CLI reads the same environment as the API (DATA_DIR, EVENTSTORE_CONNECTION_STRING, ...)
and is safe to run beside it.`;

async function main(argv: readonly string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      provider: { type: 'string' },
      output: { type: 'string', short: 'o' },
      from: { type: 'string' },
      to: { type: 'string' },
      stream: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, argument] = values.help === true ? ['help'] : positionals;
  switch (command) {
    case 'status':
      return withCliContext(statusCommand);
    case 'rebuild':
      if (argument === undefined) return usage('rebuild needs a projection name or all');
      return withCliContext((context) => rebuildCommand(context, argument));
    case 'reprocess':
    case 'reprocess-parked':
      return withCliContext(reprocessParkedCommand);
    case 'import':
      if (argument === undefined) return usage('import needs a file or folder');
      return withCliContext((context) =>
        importCommand(context, { path: argument, provider: values.provider }),
      );
    case 'export': {
      const fromPosition = position(values.from) ?? 0;
      const toPosition = position(values.to);
      if (fromPosition < 0 || (toPosition ?? 0) < 0)
        return usage('--from and --to are positions (integers ≥ 0)');
      return withCliContext((context) =>
        exportCommand(context, { output: values.output, fromPosition, toPosition }),
      );
    }
    case 'verify':
      return withCliContext((context) => verifyCommand(context, { streamId: values.stream }));
    case undefined:
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    default:
      return usage(`Unknown command "${command}".`);
  }
}

/** A position option: undefined when absent, -1 when not a non-negative integer. */
function position(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  return /^\d+$/.test(raw) ? Number(raw) : -1;
}

function usage(problem: string): number {
  process.stderr.write(`${problem}\n\n${USAGE}\n`);
  return 64; // EX_USAGE
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`ticket-ledger: invalid configuration: ${error.message}\n`);
      process.exitCode = 78; // EX_CONFIG, as the API
      return;
    }
    process.stderr.write(`ticket-ledger: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
