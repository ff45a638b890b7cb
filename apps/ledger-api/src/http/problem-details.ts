/** RFC 9457 problem details, the body of every error answer. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  /** Every violation, by RFC 6901 JSON Pointer into the body (or the query). */
  readonly errors?: readonly { readonly pointer: string; readonly message: string }[];
  readonly [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TYPES: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'contract-violation',
  500: 'internal-error',
  503: 'service-unavailable',
};

/** A problem of the given status; `type` is a stable URN per kind of problem. */
export function problem(
  status: number,
  title: string,
  detail: string,
  extensions: Record<string, unknown> = {},
): ProblemDetails {
  return {
    type: `urn:ticket-ledger:problem:${TYPES[status] ?? String(status)}`,
    title,
    status,
    detail,
    ...extensions,
  };
}
