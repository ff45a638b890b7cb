import { RebuildInProgressError, type ProjectionState } from '#projections';
import { ProgressBar } from '../progress-bar.js';
import type { CliContext } from './cli-context.js';
import { withReadModels } from './read-models.context.js';

const POLL_MS = 200;

/**
 * Rebuilds one projection (or all) from position 0 beside the live build, with a
 * progress bar; the new build replaces the live one when it has caught up. Safe while
 * the API runs: the API keeps serving the live build and takes the new one over after
 * the swap. A rebuild already running is followed rather than started again.
 */
export async function rebuildCommand(context: CliContext, target: string): Promise<number> {
  return withReadModels(context, async ({ runner }) => {
    const names = target === 'all' ? runner.names() : [target];
    const unknown = names.filter((name) => !runner.has(name));
    if (unknown.length > 0) {
      context.stderr.write(
        `unknown projection ${unknown.join(', ')} (known: ${runner.names().join(', ')})\n`,
      );
      return 64;
    }
    await runner.start();
    const rebuilds = new Map<string, string>();
    for (const name of names) {
      try {
        rebuilds.set(name, (await runner.rebuild(name)).rebuildId);
      } catch (error) {
        if (!(error instanceof RebuildInProgressError) || !error.rebuildId) throw error;
        context.stderr.write(`${name}: a rebuild is already running, following it\n`);
        rebuilds.set(name, error.rebuildId);
      }
    }
    const progress = new ProgressBar(`rebuild ${target}`, 0, context.stderr);
    let processed = 0;
    let states: ProjectionState[];
    for (;;) {
      states = (await runner.states()).filter((state) => rebuilds.has(state.name));
      const total = states.reduce((sum, state) => sum + (state.rebuild?.total ?? 0), 0);
      const now = states.reduce((sum, state) => sum + (state.rebuild?.processed ?? 0), 0);
      progress.setTotal(Math.max(total, now));
      progress.tick(now - processed);
      processed = now;
      const failed = states.find((state) => state.rebuild?.failure);
      if (failed) {
        progress.finish();
        context.stderr.write(
          `${failed.name}: rebuild failed: ${failed.rebuild?.failure?.error ?? ''}\n`,
        );
        return 1;
      }
      const finished = states.every(
        ({ name, rebuild }) =>
          rebuild?.rebuildId === rebuilds.get(name) && rebuild?.finishedAt != null,
      );
      if (finished) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    progress.finish();
    context.stdout.write(
      `${JSON.stringify(states.map(({ name, version, rebuild }) => ({ name, version, ...rebuild })))}\n`,
    );
    return 0;
  });
}
