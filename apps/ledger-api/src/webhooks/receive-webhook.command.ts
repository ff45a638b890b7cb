import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Inject } from '@nestjs/common';
import type { IncomingDelivery, IntakeResult, WebhookIntake } from '#webhook-intake';
import { IntakeTurns } from './intake-turns.js';

export const WEBHOOK_INTAKE = Symbol('WebhookIntake');

/** Intake command: one HTTP delivery to authenticate, validate and record. */
export class ReceiveWebhookCommand extends Command<IntakeResult> {
  constructor(readonly delivery: IncomingDelivery) {
    super();
  }
}

@CommandHandler(ReceiveWebhookCommand)
export class ReceiveWebhookHandler implements ICommandHandler<ReceiveWebhookCommand, IntakeResult> {
  private readonly turns = new IntakeTurns();

  constructor(@Inject(WEBHOOK_INTAKE) private readonly intake: WebhookIntake) {}

  async execute(command: ReceiveWebhookCommand): Promise<IntakeResult> {
    await this.turns.next();
    return this.intake.receive(command.delivery);
  }
}
