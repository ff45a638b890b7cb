import type { FastifyInstance } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problem } from './problem-details.js';
import { RETRY_AFTER_SECONDS } from './problem-details.filter.js';

/**
 * Stops accepting first at shutdown (quality.md: stop accepting, finish in-flight
 * appends, checkpoint projections, close the store). Nest runs its shutdown hooks before
 * it closes the HTTP server, so without this a delivery arriving during the last
 * integrity checkpoint would still be taken in. Once closed, every new request is
 * answered 503 with `Retry-After` (a webhook sender delivers it again later) and its
 * connection closed; requests already past the gate finish, and their appends with them,
 * before the store closes.
 */
export class ShutdownGate {
  private closed = false;

  close(): void {
    this.closed = true;
  }

  register(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', (_request, reply, done) => {
      if (!this.closed) {
        done();
        return;
      }
      void reply
        .code(503)
        .header('content-type', PROBLEM_CONTENT_TYPE)
        .header('retry-after', String(RETRY_AFTER_SECONDS))
        .header('connection', 'close')
        .send(problem(503, 'Service Unavailable', 'The service is shutting down; retry later.'));
    });
  }
}
