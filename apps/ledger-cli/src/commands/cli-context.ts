import { loadConfiguration, type LedgerConfiguration } from '#configuration';
import { openEventStore, type EventStore } from '#event-store';

/** What every command works on: the same configuration and store as the API. */
export interface CliContext {
  readonly configuration: LedgerConfiguration;
  readonly store: EventStore;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WriteStream;
}

export async function withCliContext(
  run: (context: CliContext) => Promise<number>,
): Promise<number> {
  const { configuration } = loadConfiguration(process.env);
  const store = openEventStore(configuration);
  try {
    return await run({ configuration, store, stdout: process.stdout, stderr: process.stderr });
  } finally {
    await store.close();
  }
}
