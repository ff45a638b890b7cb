import type { CliContext } from './cli-context.js';
import { withReadModels } from './read-models.context.js';

/** The event store's health and head, and every projection's state. */
export async function statusCommand(context: CliContext): Promise<number> {
  const { store, stdout } = context;
  const health = await store.health();
  if (health.status !== 'up') {
    stdout.write(`${JSON.stringify({ store: health }, null, 2)}\n`);
    return 1;
  }
  const headPosition = await store.headPosition();
  const projections = await withReadModels(context, (readModels) => readModels.runner.states());
  stdout.write(
    `${JSON.stringify(
      {
        store: health,
        headPosition,
        projections: projections.map((state) => ({
          ...state,
          lag: Math.max(0, headPosition - state.checkpoint),
        })),
      },
      null,
      2,
    )}\n`,
  );
  return 0;
}
