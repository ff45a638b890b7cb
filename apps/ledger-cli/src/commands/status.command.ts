import type { CliContext } from './cli-context.js';

/** The event store's health and head position. */
export async function statusCommand({ store, stdout }: CliContext): Promise<number> {
  const health = await store.health();
  const headPosition = health.status === 'up' ? await store.headPosition() : null;
  stdout.write(`${JSON.stringify({ store: health, headPosition }, null, 2)}\n`);
  return health.status === 'up' ? 0 : 1;
}
