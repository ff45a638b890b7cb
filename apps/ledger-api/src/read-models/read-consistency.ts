import { problem } from '../http/problem-details.js';
import { ProblemException } from '../http/problem-details.filter.js';
import type { ReadModels } from '#read-models';

/** How long a read with `?minPosition=` waits for its read models (api.md). */
export const MIN_POSITION_WAIT_MS = 5000;

/** Parses an optional non-negative integer query parameter, or answers 400 naming it. */
export function positionParameter(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,16}$/.test(raw)) {
    throw new ProblemException(
      problem(400, 'Bad request', `${name} must be a non-negative integer.`, {
        errors: [{ pointer: `/query/${name}`, message: 'must be a non-negative integer' }],
      }),
    );
  }
  return Number(raw);
}

/**
 * Read-your-writes: waits until the read models a read joins have applied the log up
 * to `minPosition` (up to 5 s, then 503), and returns the position they had reached.
 */
export async function readPosition(
  readModels: ReadModels,
  projections: readonly string[],
  minPosition: string | undefined,
): Promise<number> {
  const position = positionParameter('minPosition', minPosition);
  if (position !== undefined) {
    const reached = await readModels.runner.waitForPosition(
      projections,
      position,
      MIN_POSITION_WAIT_MS,
    );
    if (!reached) {
      throw new ProblemException(
        problem(
          503,
          'Read model behind',
          `The read model has not reached position ${String(position)} yet; retry later.`,
        ),
      );
    }
  }
  return readModels.runner.asOfPosition(projections);
}

export function notFound(what: string): ProblemException {
  return new ProblemException(problem(404, 'Not found', `${what} is not known.`));
}
