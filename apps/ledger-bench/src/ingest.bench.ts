import autocannon from 'autocannon';
import type { IngestRequest } from './webhook.corpus.js';

/** One autocannon run, with latencies kept at full precision (autocannon rounds to 1 ms). */
export interface LoadResult {
  readonly title: string;
  readonly connections: number;
  readonly seconds: number;
  /** Responses received. */
  readonly responses: number;
  /** 2xx responses: for webhooks, accepted (202) and duplicates (200). */
  readonly ok: number;
  readonly okPerSecond: number;
  readonly statusCounts: Readonly<Record<string, number>>;
  readonly non2xx: number;
  /** Connection errors and timeouts (no response). */
  readonly errors: number;
  readonly timeouts: number;
  readonly latencyMs: {
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
  };
}

export interface CorpusLoadResult extends LoadResult {
  readonly corpusSize: number;
  /** Requests drawn from the corpus; beyond its size it wraps, and deliveries repeat. */
  readonly corpusDrawn: number;
  readonly redeliveriesDrawn: number;
}

interface LoadOptions {
  readonly url: string;
  readonly title: string;
  readonly connections: number;
  readonly seconds: number;
}

type SetupRequest = (request: autocannon.Request) => autocannon.Request;

function percentile(sorted: Float64Array, quantile: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(quantile * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

async function run(options: LoadOptions, setupRequest: SetupRequest): Promise<LoadResult> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        title: options.title,
        connections: options.connections,
        duration: options.seconds,
        timeout: 10,
        requests: [{ setupRequest }],
      },
      (error: unknown, outcome: autocannon.Result) => {
        if (error) reject(error instanceof Error ? error : new Error('autocannon failed'));
        else resolve(outcome);
      },
    );
    instance.on('response', (_client, _statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
    });
  });
  const sorted = Float64Array.from(latencies).sort();
  const statusCounts: Record<string, number> = {};
  for (const [status, stats] of Object.entries(result.statusCodeStats ?? {})) {
    statusCounts[status] = stats.count ?? 0;
  }
  const ok = result['2xx'];
  return {
    title: options.title,
    connections: options.connections,
    seconds: result.duration,
    responses: latencies.length,
    ok,
    okPerSecond: ok / result.duration,
    statusCounts,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyMs: {
      p50: percentile(sorted, 0.5),
      p90: percentile(sorted, 0.9),
      p99: percentile(sorted, 0.99),
      max: sorted[sorted.length - 1] ?? Number.NaN,
    },
  };
}

/**
 * Sends the corpus in order, whichever connection is free takes the next request, so
 * that its redeliveries follow their originals as they would in real traffic. Bodies are
 * built and signed beforehand: during the run the generator only copies bytes.
 */
export async function loadFromCorpus(
  options: LoadOptions,
  corpus: readonly IngestRequest[],
): Promise<CorpusLoadResult> {
  let drawn = 0;
  let redeliveries = 0;
  const result = await run(options, (request) => {
    const entry = corpus[drawn % corpus.length];
    drawn += 1;
    if (!entry) return request;
    if (entry.redelivery) redeliveries += 1;
    request.method = 'POST';
    request.path = entry.path;
    // autocannon writes content-length into the headers object: give it a copy.
    request.headers = { ...entry.headers };
    request.body = entry.body;
    return request;
  });
  return {
    ...result,
    corpusSize: corpus.length,
    corpusDrawn: drawn,
    redeliveriesDrawn: redeliveries,
  };
}

/** GETs of one path. */
export async function loadGet(options: LoadOptions, path: string): Promise<LoadResult> {
  return run(options, (request) => {
    request.method = 'GET';
    request.path = path;
    return request;
  });
}
