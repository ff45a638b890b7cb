import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Inject } from '@nestjs/common';
import type { IncomingDelivery, IntakeResult, WebhookIntake } from '#webhook-intake';

export const WEBHOOK_INTAKE = Symbol('WebhookIntake');

/** Intake command: one HTTP delivery to authenticate, validate and record. */
export class ReceiveWebhookCommand extends Command<IntakeResult> {
  constructor(readonly delivery: IncomingDelivery) {
    super();
  }
}

@CommandHandler(ReceiveWebhookCommand)
export class ReceiveWebhookHandler implements ICommandHandler<ReceiveWebhookCommand, IntakeResult> {
  constructor(@Inject(WEBHOOK_INTAKE) private readonly intake: WebhookIntake) {}

  execute(command: ReceiveWebhookCommand): Promise<IntakeResult> {
    return this.intake.receive(command.delivery);
  }
}
