import type { post } from './ledger-api.harness.js';

export type Answer = Awaited<ReturnType<typeof post>>;

/**
 * An RFC 9457 problem of this status: `application/problem+json`, with `type`, `title`,
 * `status` and `detail`.
 */
export function expectProblem(answer: Answer, status: number): void {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json(;|$)/);
  const { type, title, detail } = answer.body;
  expect(typeof type === 'string' && type.length > 0).toBe(true);
  expect(typeof title === 'string' && title.length > 0).toBe(true);
  expect(typeof detail === 'string' && detail.length > 0).toBe(true);
  expect(answer.body['status']).toBe(status);
}

/** POSTs bytes with no `content-type` header at all. */
export async function postWithoutContentType(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers,
    // Bytes, not a string: fetch adds `text/plain` to a string body.
    body: new TextEncoder().encode(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

/** POSTs nothing: no body, no content type (an admin command). */
export async function postNoBody(
  url: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}
