import Fastify from 'fastify';

/**
 * The ingest baseline: a bare Fastify server that takes the same webhook bodies as raw
 * bytes (as the API's body parser does), parses each once, and answers 202 — the floor
 * under any HTTP intake on this stack. No Nest, no validation, no storage.
 */
const JSON_MEDIA_TYPE = /^application\/([\w.+-]+\+)?json(\s*;.*)?$/i;

const app = Fastify({ logger: false, bodyLimit: 1_048_576 });
app.removeAllContentTypeParsers();
app.addContentTypeParser(JSON_MEDIA_TYPE, { parseAs: 'buffer' }, (_request, body, done) => {
  done(null, body);
});

app.post('/webhooks/:provider', (request, reply) => {
  if (!Buffer.isBuffer(request.body)) return reply.code(415).send({ status: 'unsupported' });
  let message: unknown;
  try {
    message = JSON.parse(request.body.toString('utf8'));
  } catch {
    return reply.code(400).send({ status: 'not json' });
  }
  if (typeof message !== 'object' || message === null) {
    return reply.code(400).send({ status: 'not an object' });
  }
  return reply.code(202).send({ status: 'accepted' });
});

app.get('/health/live', () => ({ status: 'ok' }));

const stop = () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

await app.listen({
  port: Number(process.env['PORT'] ?? 3001),
  host: process.env['HOST'] ?? '127.0.0.1',
});
