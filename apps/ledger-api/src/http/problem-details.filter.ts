import { STATUS_CODES } from 'node:http';
import {
  Catch,
  HttpException,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { StoreClosedError, StoreUnavailableError } from '#event-store';
import { problem, PROBLEM_CONTENT_TYPE, type ProblemDetails } from './problem-details.js';

/** Seconds a client should wait before retrying when the store is unavailable. */
export const RETRY_AFTER_SECONDS = 5;

/** Raised by handlers to answer a problem they have already described. */
export class ProblemException extends Error {
  constructor(readonly problem: ProblemDetails) {
    super(problem.detail);
  }
}

/**
 * Every error leaves as problem details: described problems as they are, Nest's HTTP
 * exceptions by their status, an unavailable store as 503 with `Retry-After`, and
 * anything else as a 500 that says nothing about its cause (the log has it).
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = this.describe(exception);
    if (body.status === 503) void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    void reply.status(body.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
  }

  private describe(exception: unknown): ProblemDetails {
    if (exception instanceof ProblemException) return exception.problem;
    if (exception instanceof StoreUnavailableError || exception instanceof StoreClosedError) {
      this.logger.warn(`store unavailable: ${exception.message}`);
      return problem(
        503,
        'Event store unavailable',
        'The event store cannot accept work right now; retry later.',
      );
    }
    if (exception instanceof HttpException) {
      // Includes what Fastify rejects before a route runs: 413 body too large, 415 media type.
      const status = exception.getStatus();
      const detail =
        status === 415 ? 'Send JSON: application/json or application/*+json.' : exception.message;
      return problem(status, STATUS_CODES[status] ?? 'Error', detail);
    }
    this.logger.error(exception instanceof Error ? exception : String(exception));
    return problem(500, 'Internal error', 'The request could not be processed.');
  }
}
