import { PROJECTIONS, ReadModels } from '#read-models';
import type { CliContext } from './cli-context.js';

/**
 * The read models of `DATA_DIR`, as the CLI uses them: it builds (rebuilds) but leaves
 * following the log to the API, so the two never apply events to the same build.
 */
export async function withReadModels<T>(
  context: CliContext,
  run: (readModels: ReadModels) => Promise<T>,
): Promise<T> {
  const readModels = ReadModels.open({
    dataDir: context.configuration.dataDir,
    store: context.store,
    projections: PROJECTIONS,
    followLive: false,
  });
  try {
    return await run(readModels);
  } finally {
    await readModels.close();
  }
}
