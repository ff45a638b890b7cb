import { openWebhookIntake, readParkedDeliveries } from '#webhook-intake';
import { ProgressBar } from '../progress-bar.js';
import type { CliContext } from './cli-context.js';

/**
 * Runs every unresolved parked delivery through the normal path again (after the code
 * learnt its type, for instance); the parked log records each outcome.
 */
export async function reprocessParkedCommand(context: CliContext): Promise<number> {
  const { configuration, store, stdout, stderr } = context;
  const pending = (await readParkedDeliveries(store)).filter((parked) => !parked.resolved);
  const opened = openWebhookIntake(configuration, store);
  const outcomes = { accepted: 0, duplicate: 0, parked: 0, rejected: 0 };
  const progress = new ProgressBar('reprocess', pending.length, stderr);
  try {
    for (const parked of pending) {
      const result = await opened.intake.reprocessParked(parked.receiptId);
      if (result) outcomes[result.kind] += 1;
      progress.tick();
    }
  } finally {
    progress.finish();
    opened.close();
  }
  stdout.write(`${JSON.stringify({ reprocessed: pending.length, ...outcomes })}\n`);
  return 0;
}
