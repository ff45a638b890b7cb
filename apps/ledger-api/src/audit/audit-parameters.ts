import { isProvider, type ParkReason, type Provider } from '#ledger';
import { problem } from '../http/problem-details.js';
import { ProblemException } from '../http/problem-details.filter.js';

const PARK_REASONS: readonly ParkReason[] = [
  'unsupported_type',
  'unsupported_version',
  'contract_violation',
];
const EVENT_TYPE = /^[A-Za-z][\w.-]{0,127}$/;

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/**
 * Reads query parameters and gathers every bad one, so that one 400 names them all
 * (`errors[].pointer` = `/query/<name>`).
 */
export class QueryParameters {
  private readonly errors: { pointer: string; message: string }[] = [];

  /** An optional integer ≥ 0. */
  position(name: string, raw: string | undefined): number | undefined {
    if (raw === undefined || raw === '') return undefined;
    if (!/^\d{1,16}$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
      this.fail(name, 'must be a non-negative integer');
      return undefined;
    }
    return Number(raw);
  }

  /** `limit`: 1 to 1000, 100 when absent. */
  limit(raw: string | undefined): number {
    if (raw === undefined || raw === '') return DEFAULT_LIMIT;
    if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_LIMIT) {
      this.fail('limit', `must be an integer from 1 to ${String(MAX_LIMIT)}`);
      return DEFAULT_LIMIT;
    }
    return Number(raw);
  }

  provider(raw: string | undefined): Provider | undefined {
    if (raw === undefined || raw === '') return undefined;
    if (!isProvider(raw)) {
      this.fail('provider', 'must be cope, ltd or ingresse');
      return undefined;
    }
    return raw;
  }

  parkReason(raw: string | undefined): ParkReason | undefined {
    if (raw === undefined || raw === '') return undefined;
    const reason = PARK_REASONS.find((known) => known === raw);
    if (!reason) this.fail('reason', `must be one of ${PARK_REASONS.join(', ')}`);
    return reason;
  }

  eventType(raw: string | undefined): string | undefined {
    if (raw === undefined || raw === '') return undefined;
    if (!EVENT_TYPE.test(raw)) {
      this.fail('type', 'must be an event type such as WebhookReceived');
      return undefined;
    }
    return raw;
  }

  fail(name: string, message: string): void {
    this.errors.push({ pointer: `/query/${name}`, message });
  }

  /** Throws the 400 when any parameter was bad. */
  check(): void {
    if (this.errors.length === 0) return;
    const names = this.errors.map((error) => error.pointer.slice('/query/'.length));
    throw new ProblemException(
      problem(
        400,
        'Bad request',
        `Bad query parameter${names.length > 1 ? 's' : ''}: ${names.join(', ')}.`,
        { errors: this.errors },
      ),
    );
  }
}
