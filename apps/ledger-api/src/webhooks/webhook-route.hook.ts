import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import { PROVIDERS, type LedgerConfiguration } from '#configuration';
import { problem, PROBLEM_CONTENT_TYPE } from '../http/problem-details.js';

/** Route config (`@RouteConfig`) marking the webhook route for {@link registerWebhookRouteHook}. */
export const WEBHOOK_ROUTE_CONFIG = { webhookRoute: true } as const;

/** The 404 of a webhook route that does not exist or whose provider is `off`. */
export function noWebhookRoute(provider: string | undefined) {
  return problem(404, 'Not found', `No webhook route for "${provider ?? ''}".`);
}

/**
 * A provider whose scheme is `off` has no route (intake.md, "Authentication"), so it must
 * answer 404 whatever the body. The controller runs after Fastify has parsed the body,
 * which answers 415 or 413 first; an `onRequest` hook runs before that. It is attached to
 * the webhook route alone (marked with {@link WEBHOOK_ROUTE_CONFIG}): other routes pay
 * nothing, the webhook route one set look-up.
 */
export function registerWebhookRouteHook(
  fastify: FastifyInstance,
  configuration: LedgerConfiguration,
): void {
  const routed: ReadonlySet<string> = new Set(
    PROVIDERS.filter((provider) => configuration.webhooks[provider].scheme !== 'off'),
  );
  const answerUnrouted: onRequestHookHandler = (request, reply, done) => {
    const { provider } = request.params as { provider?: string };
    if (provider !== undefined && routed.has(provider)) {
      done();
      return;
    }
    // Answering without calling done() ends the request before its body is read.
    void reply
      .code(404)
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .send(noWebhookRoute(provider));
  };
  fastify.addHook('onRoute', (route) => {
    const config: { webhookRoute?: unknown } | undefined = route.config;
    if (config?.webhookRoute !== true) return;
    const existing = route.onRequest;
    route.onRequest =
      existing === undefined
        ? [answerUnrouted]
        : [...(Array.isArray(existing) ? existing : [existing]), answerUnrouted];
  });
}
