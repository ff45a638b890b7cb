import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Inject } from '@nestjs/common';
import type { DeliveryResult, WebhookIntake } from '#webhook-intake';
import { WEBHOOK_INTAKE } from './receive-webhook.command.js';

/** Runs one parked delivery again; undefined when no parked receipt has that id. */
export class ReprocessParkedCommand extends Command<DeliveryResult | undefined> {
  constructor(readonly parkedReceiptId: string) {
    super();
  }
}

@CommandHandler(ReprocessParkedCommand)
export class ReprocessParkedHandler implements ICommandHandler<
  ReprocessParkedCommand,
  DeliveryResult | undefined
> {
  constructor(@Inject(WEBHOOK_INTAKE) private readonly intake: WebhookIntake) {}

  execute(command: ReprocessParkedCommand): Promise<DeliveryResult | undefined> {
    return this.intake.reprocessParked(command.parkedReceiptId);
  }
}
