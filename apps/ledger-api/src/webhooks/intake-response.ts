import type { DeliveryResult, IntakeResult } from '#webhook-intake';
import { problem } from '../http/problem-details.js';

export interface HttpAnswer {
  readonly status: number;
  readonly body: object;
  readonly problem: boolean;
}

/** The HTTP answer for one delivery (intake.md, "Responses"). */
export function deliveryAnswer(result: DeliveryResult): HttpAnswer {
  switch (result.kind) {
    case 'accepted':
      return {
        status: 202,
        problem: false,
        body: {
          status: 'accepted',
          receiptId: result.receiptId,
          streamId: result.streamId,
          position: result.position,
          events: result.events,
        },
      };
    case 'duplicate':
      return {
        status: 200,
        problem: false,
        body: { status: 'duplicate', receiptId: result.receiptId },
      };
    case 'parked':
      if (result.reason === 'contract_violation') {
        return {
          status: 422,
          problem: true,
          body: problem(
            422,
            'Webhook violates the provider contract',
            `${String(result.errors?.length ?? 0)} contract violation(s); the delivery is parked.`,
            { errors: result.errors ?? [], receiptId: result.receiptId, reason: result.reason },
          ),
        };
      }
      return {
        status: 202,
        problem: false,
        body: { status: 'parked', receiptId: result.receiptId, reason: result.reason },
      };
    case 'rejected':
      return {
        status: result.status,
        problem: true,
        body: problem(result.status, result.title, result.detail, {
          errors: result.status === 400 ? [{ pointer: '', message: result.detail }] : [],
        }),
      };
  }
}

/** What became of a delivery, as the `status` of every answer that is not a problem says it. */
export type DeliveryOutcome = 'accepted' | 'duplicate' | 'parked' | 'rejected';

/**
 * A batch answers 200 with one result per element: the answer the element would have got
 * alone, member for member, plus `index`, `httpStatus` and `outcome`. A problem's own
 * `status` is its HTTP status (RFC 9457) where every other answer's is the outcome, so
 * `outcome` says what became of every element in one form: a 422 element is `parked`
 * (its problem carries `receiptId` and `reason`), a 4xx one `rejected`.
 */
export function intakeAnswer(result: IntakeResult): HttpAnswer {
  if (result.kind !== 'batch') return deliveryAnswer(result);
  return {
    status: 200,
    problem: false,
    body: {
      results: result.results.map((element, index) => {
        const answer = deliveryAnswer(element);
        const outcome: DeliveryOutcome = element.kind;
        return { index, httpStatus: answer.status, outcome, ...answer.body };
      }),
    },
  };
}
