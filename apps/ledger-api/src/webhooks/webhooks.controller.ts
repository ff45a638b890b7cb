import { Controller, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiConsumes,
  ApiExtraModels,
  ApiParam,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LedgerConfiguration } from '#configuration';
import { StoreUnavailableError } from '#event-store';
import { isProvider } from '#ledger';
import type { IntakeResult } from '#webhook-intake';
import { CONFIGURATION } from '../configuration.token.js';
import { problem, PROBLEM_CONTENT_TYPE } from '../http/problem-details.js';
import { ProblemException } from '../http/problem-details.filter.js';
import { ProblemDetailsDto } from '../http/problem-details.dto.js';
import type { LedgerMetrics } from '../metrics/ledger-metrics.js';
import { LEDGER_METRICS } from '../metrics/metrics.tokens.js';
import { intakeAnswer } from './intake-response.js';
import { ReceiveWebhookCommand } from './receive-webhook.command.js';
import { noWebhookRoute, WEBHOOK_ROUTE_CONFIG } from './webhook-route.hook.js';
import {
  AcceptedDeliveryDto,
  BatchAnswerDto,
  DuplicateDeliveryDto,
  ParkedDeliveryDto,
} from './webhook-answers.dto.js';
import { PublicRoute } from '../security/roles.js';

/**
 * `POST /webhooks/{cope|ltd|ingresse}`. The body arrives as raw bytes (see the JSON
 * body parser): the intake authenticates over them, parses once and validates once.
 */
@ApiTags('Webhooks')
@PublicRoute('webhooks use the provider’s own authentication')
@ApiExtraModels(
  ProblemDetailsDto,
  AcceptedDeliveryDto,
  ParkedDeliveryDto,
  DuplicateDeliveryDto,
  BatchAnswerDto,
)
@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(CONFIGURATION) private readonly configuration: LedgerConfiguration,
    @Inject(LEDGER_METRICS) private readonly metrics: LedgerMetrics,
  ) {}

  @Post(':provider')
  @RouteConfig(WEBHOOK_ROUTE_CONFIG)
  @HttpCode(202)
  @ApiParam({ name: 'provider', enum: ['cope', 'ltd', 'ingresse'] })
  @ApiConsumes(
    'application/json',
    'application/cloudevents+json',
    'application/cloudevents-batch+json',
  )
  @ApiResponse({
    status: 202,
    description: 'Accepted, or parked (unsupported type or major version)',
    schema: {
      oneOf: [
        { $ref: getSchemaPath(AcceptedDeliveryDto) },
        { $ref: getSchemaPath(ParkedDeliveryDto) },
      ],
    },
  })
  @ApiResponse({
    status: 200,
    description:
      'A redelivery (the first receipt), or a CloudEvents batch (one result per element)',
    schema: {
      oneOf: [
        { $ref: getSchemaPath(DuplicateDeliveryDto) },
        { $ref: getSchemaPath(BatchAnswerDto) },
      ],
    },
  })
  @ApiResponse({
    status: 400,
    description: 'Not JSON, or not the provider’s envelope',
    type: ProblemDetailsDto,
  })
  @ApiResponse({
    status: 401,
    description: 'Signature or token missing or invalid',
    type: ProblemDetailsDto,
  })
  @ApiResponse({
    status: 404,
    description: 'No such provider, or its scheme is off (whatever the body)',
    type: ProblemDetailsDto,
  })
  @ApiResponse({ status: 413, description: 'Body over WEBHOOK_MAX_BYTES', type: ProblemDetailsDto })
  @ApiResponse({ status: 415, description: 'Content type not JSON', type: ProblemDetailsDto })
  @ApiResponse({
    status: 422,
    description: 'Contract violation: parked, every violation listed',
    type: ProblemDetailsDto,
  })
  @ApiResponse({
    status: 503,
    description: 'Store unavailable; retry after Retry-After',
    type: ProblemDetailsDto,
  })
  async receive(
    @Param('provider') provider: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // The route's onRequest hook has already answered these, before the body was read;
    // checked again to narrow the type and for an app built without the hook.
    if (!isProvider(provider) || this.configuration.webhooks[provider].scheme === 'off') {
      throw new ProblemException(noWebhookRoute(provider));
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
    let result: IntakeResult;
    try {
      result = await this.commands.execute(
        new ReceiveWebhookCommand({
          provider,
          headers: request.headers,
          query: request.query as Record<string, unknown>,
          rawBody: request.body,
        }),
      );
    } catch (error) {
      this.metrics.delivery(
        provider,
        error instanceof StoreUnavailableError ? 'unavailable' : 'error',
      );
      throw error;
    }
    for (const element of result.kind === 'batch' ? result.results : [result]) {
      this.metrics.delivery(provider, element.kind);
    }
    const answer = intakeAnswer(result);
    if (answer.problem) void reply.header('content-type', PROBLEM_CONTENT_TYPE);
    void reply.status(answer.status).send(answer.body);
  }
}
