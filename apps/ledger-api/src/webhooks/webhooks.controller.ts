import { Controller, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LedgerConfiguration } from '#configuration';
import { isProvider } from '#ledger';
import { CONFIGURATION } from '../configuration.token.js';
import { problem, PROBLEM_CONTENT_TYPE } from '../http/problem-details.js';
import { ProblemException } from '../http/problem-details.filter.js';
import { intakeAnswer } from './intake-response.js';
import { ReceiveWebhookCommand } from './receive-webhook.command.js';

/**
 * `POST /webhooks/{cope|ltd|ingresse}`. The body arrives as raw bytes (see the JSON
 * body parser): the intake authenticates over them, parses once and validates once.
 */
@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(CONFIGURATION) private readonly configuration: LedgerConfiguration,
  ) {}

  @Post(':provider')
  @HttpCode(202)
  async receive(
    @Param('provider') provider: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (!isProvider(provider) || this.configuration.webhooks[provider].scheme === 'off') {
      throw new ProblemException(problem(404, 'Not found', `No webhook route for "${provider}".`));
    }
    if (!Buffer.isBuffer(request.body)) {
      throw new ProblemException(
        problem(
          415,
          'Unsupported media type',
          'Send JSON: application/json or application/*+json.',
        ),
      );
    }
    const result = await this.commands.execute(
      new ReceiveWebhookCommand({
        provider,
        headers: request.headers,
        query: request.query as Record<string, unknown>,
        rawBody: request.body,
      }),
    );
    const answer = intakeAnswer(result);
    if (answer.problem) void reply.header('content-type', PROBLEM_CONTENT_TYPE);
    void reply.status(answer.status).send(answer.body);
  }
}
