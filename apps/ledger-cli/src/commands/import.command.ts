import { isProvider, type Provider } from '#ledger';
import { openWebhookIntake, type DeliveryResult } from '#webhook-intake';
import { ProgressBar } from '../progress-bar.js';
import type { CliContext } from './cli-context.js';
import { readWebhookFiles } from './webhook-files.js';

export interface ImportOptions {
  readonly path: string;
  readonly provider: string | undefined;
}

/**
 * Backfills a provider's export (JSON or NDJSON webhooks, a file or a folder) through
 * the same intake path as HTTP — deduplicated, validated, parked when needed — with a
 * progress bar and a summary of the outcomes.
 */
export async function importCommand(context: CliContext, options: ImportOptions): Promise<number> {
  const { configuration, store, stdout, stderr } = context;
  if (options.provider !== undefined && !isProvider(options.provider)) {
    stderr.write(`--provider must be cope, ltd or ingresse, got "${options.provider}"\n`);
    return 64;
  }
  const provider: Provider | undefined = options.provider;
  const webhooks = readWebhookFiles(options.path, provider);
  const opened = openWebhookIntake(configuration, store);
  const summary = { accepted: 0, duplicate: 0, parked: 0, rejected: 0 };
  const rejections: string[] = [];
  const progress = new ProgressBar('import', webhooks.length, stderr);
  const count = (result: DeliveryResult, source: string) => {
    summary[result.kind] += 1;
    if (result.kind === 'rejected') rejections.push(`${source}: ${result.detail}`);
  };
  try {
    for (const webhook of webhooks) {
      if (!webhook.provider) {
        summary.rejected += 1;
        rejections.push(`${webhook.source}: provider not recognised (give --provider)`);
      } else {
        const result = await opened.intake.receiveImported(webhook.provider, webhook.body);
        if (result.kind === 'batch')
          for (const element of result.results) count(element, webhook.source);
        else count(result, webhook.source);
      }
      progress.tick();
    }
  } finally {
    progress.finish();
    opened.close();
  }
  for (const rejection of rejections.slice(0, 20)) stderr.write(`rejected ${rejection}\n`);
  stdout.write(`${JSON.stringify({ webhooks: webhooks.length, ...summary })}\n`);
  return summary.rejected > 0 ? 1 : 0;
}
