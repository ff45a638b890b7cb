import { verifyIntegrity } from '#audit';
import type { CliContext } from './cli-context.js';

export interface VerifyCommandOptions {
  /** Check one stream only. */
  readonly streamId: string | undefined;
}

/**
 * Recomputes the integrity hash chains from the stored events and compares the heads
 * with the last integrity checkpoint; prints the report as JSON. Exit 0 when intact,
 * 1 when a problem was found.
 */
export async function verifyCommand(
  context: CliContext,
  options: VerifyCommandOptions,
): Promise<number> {
  const report = await verifyIntegrity(
    context.store,
    options.streamId === undefined ? {} : { streamId: options.streamId },
  );
  context.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return report.ok ? 0 : 1;
}
