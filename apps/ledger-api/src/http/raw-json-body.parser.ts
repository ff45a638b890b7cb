import type { FastifyInstance } from 'fastify';

/**
 * JSON bodies reach the handlers as the raw bytes: webhook signatures are computed
 * over them, receipts keep them byte for byte, and each handler parses exactly once.
 * Covers `application/json` and every `application/*+json` (CloudEvents).
 */
export const JSON_MEDIA_TYPE = /^application\/([\w.+-]+\+)?json(\s*;.*)?$/i;

export function registerRawJsonBodyParser(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(JSON_MEDIA_TYPE, { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, body);
  });
}
