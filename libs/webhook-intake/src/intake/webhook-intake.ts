import { randomUUID } from 'node:crypto';
import { UniqueKeyViolationError, type EventStore, type UniqueKeyOwner } from '#event-store';
import {
  deliveryEventId,
  streamIds,
  uuidV5,
  type ContractViolation,
  type Decider,
  type LedgerEvent,
  type LedgerWriter,
  type ParkReason,
  type Provider,
  type WebhookReceived,
} from '#ledger';
import type { WebhookAuthenticator } from '../authentication/index.js';
import {
  checkCopeEvent,
  checkIngresseWebhook,
  checkLtdMessage,
  copeEventFromBinaryMode,
} from '../providers/index.js';
import type { PayloadCheck } from '../validation/index.js';
import { translateCopeEvent } from '../translation/cope.translator.js';
import { translateIngresseWebhook } from '../translation/ingresse.translator.js';
import { translateLtdMessage } from '../translation/ltd.translator.js';
import type { StreamDecision } from '../translation/stream-decision.js';
import { deliveryIdentity, type DeliveryIdentity } from './deduplication-keys.js';
import type {
  DeliveryResult,
  IncomingDelivery,
  IntakeResult,
  ParkedResult,
} from './intake-result.js';
import { jsonArrayElements } from './json-array-elements.js';
import { RecentReceipts, type ReceiptAnswer } from './recent-receipts.js';
import type { RedeliveryLog } from './redelivery-log.js';
import { allowListedHeaders, receivedBytes, sha256Hex, storedBody } from './webhook-receipt.js';

export interface WebhookIntakeDependencies {
  readonly store: EventStore;
  readonly writer: LedgerWriter;
  readonly authenticators: Readonly<Record<Provider, WebhookAuthenticator>>;
  readonly redeliveries: RedeliveryLog;
  /** Key of the keyed digests that name consent streams. */
  readonly dataKey: Buffer;
  readonly now?: () => Date;
  /**
   * The contract check per provider; defaults to the DTO-based checks. Replaceable so
   * that tests can show a delivery parked by older code being applied by newer code.
   */
  readonly checks?: Partial<Record<Provider, (body: unknown) => PayloadCheck<unknown>>>;
}

/** What a delivery carried besides its message: kept in its receipt. */
interface DeliveryContext {
  readonly provider: Provider;
  readonly headers: Readonly<Record<string, string>>;
  readonly signatureVerified: boolean;
  readonly receivedAt: string;
  /** CloudEvents binary mode: the attributes came as `ce-*` headers, the body is the data. */
  readonly binaryMode: boolean;
}

interface MessageBytes {
  /** The bytes of this message as sent (a batch element's own bytes). */
  readonly raw: Buffer;
  readonly batch?: { readonly sha256: string; readonly index: number };
}

/** Set when a parked delivery is run again. */
interface Reprocessing {
  readonly parkedReceiptId: string;
}

export const IMPORT_USER_AGENT = 'ticket-ledger-cli/import';

const CLOUDEVENTS_BATCH = /^application\/cloudevents-batch\+json/i;
const CLOUDEVENTS_STRUCTURED = /^application\/cloudevents\+json/i;

/** The parked log records what it is given: it needs no state. */
const parkedLogDecider: Decider<LedgerEvent[], null> = {
  initialState: null,
  stateless: true,
  evolve: (state) => state,
  decide: (events) => events,
};

/**
 * Webhook intake (intake.md): authenticate, parse once, validate once, recognise
 * redeliveries, and append the receipt with the domain events it causes to one
 * stream — or park what cannot be applied, with its reason.
 */
export class WebhookIntake {
  private readonly now: () => Date;
  private readonly recentReceipts = new RecentReceipts();

  constructor(private readonly dependencies: WebhookIntakeDependencies) {
    this.now = dependencies.now ?? (() => new Date());
  }

  async receive(delivery: IncomingDelivery): Promise<IntakeResult> {
    const { provider, headers, rawBody } = delivery;
    const receivedAt = this.now();
    const authentication = this.dependencies.authenticators[provider].authenticate(
      { headers, query: delivery.query, rawBody },
      Math.floor(receivedAt.getTime() / 1000),
    );
    if (!authentication.ok) {
      return rejected(401, 'Webhook authentication failed', authentication.reason);
    }

    return this.receiveAuthenticated(
      provider,
      headers,
      rawBody,
      authentication.signatureVerified,
      receivedAt,
    );
  }

  /**
   * A delivery from a provider's export, fed by an operator (`npm run cli -- import`):
   * the same path as HTTP without the webhook authentication; its receipt says the
   * signature was not verified and names the importer as user agent.
   */
  receiveImported(provider: Provider, rawBody: Buffer): Promise<IntakeResult> {
    const headers = { 'content-type': 'application/json', 'user-agent': IMPORT_USER_AGENT };
    return this.receiveAuthenticated(provider, headers, rawBody, false, this.now());
  }

  private receiveAuthenticated(
    provider: Provider,
    headers: IncomingDelivery['headers'],
    rawBody: Buffer,
    signatureVerified: boolean,
    receivedAt: Date,
  ): Promise<IntakeResult> {
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return Promise.resolve(
        rejected(400, 'Body is not valid JSON', 'The request body could not be parsed as JSON.'),
      );
    }
    const contentType = firstHeader(headers['content-type']) ?? '';
    const binaryMode = provider === 'cope' && isBinaryMode(headers, contentType);
    const context: DeliveryContext = {
      provider,
      headers: allowListedHeaders(headers),
      signatureVerified,
      receivedAt: receivedAt.toISOString(),
      binaryMode,
    };
    if (provider === 'cope' && CLOUDEVENTS_BATCH.test(contentType)) {
      return this.receiveBatch(context, body, rawBody);
    }
    if (binaryMode) body = copeEventFromBinaryMode(headers, body);
    return this.processMessage(context, body, { raw: rawBody });
  }

  /** Runs a parked delivery again through the normal path (the parked log keeps the outcome). */
  async reprocessParked(parkedReceiptId: string): Promise<DeliveryResult | undefined> {
    const parked = await this.findParkedReceipt(parkedReceiptId);
    if (!parked) return undefined;
    const { receipt, provider } = parked;
    const raw = receivedBytes(receipt);
    const binaryMode =
      provider === 'cope' &&
      receipt.batch === undefined &&
      isBinaryMode(receipt.headers, receipt.headers['content-type'] ?? '');
    const context: DeliveryContext = {
      provider,
      headers: receipt.headers,
      signatureVerified: receipt.signatureVerified,
      receivedAt: receipt.receivedAt,
      binaryMode,
    };
    let body: unknown = JSON.parse(raw.toString('utf8'));
    if (binaryMode) body = copeEventFromBinaryMode(receipt.headers, body);
    const result = await this.processMessage(
      context,
      body,
      { raw, ...(receipt.batch ? { batch: receipt.batch } : {}) },
      { parkedReceiptId },
    );
    await this.recordReprocessing(provider, parkedReceiptId, result);
    return result;
  }

  private async receiveBatch(
    context: DeliveryContext,
    body: unknown,
    raw: Buffer,
  ): Promise<IntakeResult> {
    if (!Array.isArray(body)) {
      return rejected(
        400,
        'Not a CloudEvents batch',
        'A CloudEvents batch body is a JSON array of events.',
      );
    }
    const elements = jsonArrayElements(raw);
    const sha256 = sha256Hex(raw);
    const results = await Promise.all(
      body.map((element: unknown, index) =>
        this.processMessage(context, element, {
          raw: elements[index] ?? Buffer.from(JSON.stringify(element)),
          batch: { sha256, index },
        }),
      ),
    );
    return { kind: 'batch', results };
  }

  private async processMessage(
    context: DeliveryContext,
    message: unknown,
    bytes: MessageBytes,
    reprocessing?: Reprocessing,
  ): Promise<DeliveryResult> {
    const check = this.check(context.provider, message);
    if (check.outcome === 'not_envelope') {
      return rejected(400, `Not a ${context.provider} webhook`, check.detail);
    }
    const identity = deliveryIdentity(context.provider, message);
    if (check.outcome === 'valid') {
      // No look-up first: the append claims the keys, and a claimed key answers as a duplicate.
      return this.apply(
        context,
        check.messageType,
        this.translate(context.provider, check.message),
        identity,
        bytes,
        reprocessing,
      );
    }
    // A body that cannot be applied is still a duplicate when its keys are claimed.
    const duplicate = await this.findFirstReceipt(identity.keys);
    if (duplicate) return duplicate;
    const reason: ParkReason = check.outcome;
    const errors =
      check.outcome !== 'contract_violation'
        ? undefined
        : context.binaryMode
          ? binaryModeViolations(check.errors)
          : check.errors;
    if (reprocessing) {
      // Still not applicable: the parked receipt stands, the parked log records the attempt.
      return parkedResult(reprocessing.parkedReceiptId, reason, errors);
    }
    const parkedBefore = await this.findFirstReceipt([identity.parkedKey]);
    if (parkedBefore) return parkedBefore;
    return this.park(context, check.messageType ?? null, reason, errors, identity, bytes);
  }

  private check(provider: Provider, message: unknown): PayloadCheck<unknown> {
    const replaced = this.dependencies.checks?.[provider];
    if (replaced) return replaced(message);
    switch (provider) {
      case 'cope':
        return checkCopeEvent(message);
      case 'ltd':
        return checkLtdMessage(message);
      case 'ingresse':
        return checkIngresseWebhook(message);
    }
  }

  private translate(provider: Provider, message: unknown): StreamDecision {
    switch (provider) {
      case 'cope':
        return translateCopeEvent(message as Parameters<typeof translateCopeEvent>[0]);
      case 'ltd':
        return translateLtdMessage(
          message as Parameters<typeof translateLtdMessage>[0],
          this.dependencies.dataKey,
        );
      case 'ingresse':
        return translateIngresseWebhook(message as Parameters<typeof translateIngresseWebhook>[0]);
    }
  }

  private async apply(
    context: DeliveryContext,
    messageType: string,
    decision: StreamDecision,
    identity: DeliveryIdentity,
    bytes: MessageBytes,
    reprocessing: Reprocessing | undefined,
  ): Promise<DeliveryResult> {
    const path = reprocessing ? 'reprocessed' : 'accepted';
    const receipt: WebhookReceived = {
      ...this.receipt(context, messageType, identity.keys, bytes),
      outcome: 'accepted',
      ...(reprocessing ? { reprocessOf: reprocessing.parkedReceiptId } : {}),
    };
    try {
      const written = await this.dependencies.writer.write({
        streamId: decision.streamId,
        kind: decision.deciderName,
        decider: decision.decider,
        decide: (state) => [
          { type: 'WebhookReceived', data: receipt },
          ...decision.decider.decide(decision.command, state),
        ],
        eventId: (index) => deliveryEventId(identity.deliveryKey, path, index),
        uniqueKeys: identity.keys,
        ...(decision.correlationId === undefined ? {} : { correlationId: decision.correlationId }),
      });
      if (written.alreadyAppended) return this.duplicate(written.firstEventId);
      this.recentReceipts.remember(written.streamId, written.firstRevision, {
        receiptId: written.firstEventId,
        outcome: 'accepted',
      });
      return {
        kind: 'accepted',
        receiptId: written.firstEventId,
        streamId: written.streamId,
        position: written.position,
        events: written.eventTypes,
      };
    } catch (error) {
      if (!(error instanceof UniqueKeyViolationError)) throw error;
      return this.answerForOwner(error.owner, true);
    }
  }

  private async park(
    context: DeliveryContext,
    messageType: string | null,
    reason: ParkReason,
    errors: readonly ContractViolation[] | undefined,
    identity: DeliveryIdentity,
    bytes: MessageBytes,
  ): Promise<DeliveryResult> {
    const receipt: WebhookReceived = {
      ...this.receipt(context, messageType, [identity.parkedKey], bytes),
      outcome: 'parked',
      parkedReason: reason,
      ...(errors ? { errors } : {}),
    };
    try {
      const written = await this.dependencies.writer.write({
        streamId: streamIds.parked(context.provider),
        kind: 'parked',
        decider: parkedLogDecider,
        decide: () => [{ type: 'WebhookReceived', data: receipt }],
        // Named by the parked key (delivery key + body hash), not the delivery key alone: a
        // corrected COPE resend that is parked again reuses `source`+`id` with another body,
        // and must get a receipt id of its own.
        eventId: (index) => deliveryEventId(identity.parkedKey, 'parked', index),
        uniqueKeys: [identity.parkedKey],
      });
      if (written.alreadyAppended) return this.duplicate(written.firstEventId);
      this.recentReceipts.remember(written.streamId, written.firstRevision, {
        receiptId: written.firstEventId,
        outcome: 'parked',
        parkedReason: reason,
        ...(errors ? { errors } : {}),
      });
      return parkedResult(written.firstEventId, reason, errors);
    } catch (error) {
      if (!(error instanceof UniqueKeyViolationError)) throw error;
      return this.answerForOwner(error.owner, true);
    }
  }

  private receipt(
    context: DeliveryContext,
    messageType: string | null,
    deduplicationKeys: readonly string[],
    bytes: MessageBytes,
  ): Omit<WebhookReceived, 'outcome'> {
    return {
      provider: context.provider,
      messageType,
      deduplicationKeys,
      receivedAt: context.receivedAt,
      signatureVerified: context.signatureVerified,
      headers: context.headers,
      sha256: sha256Hex(bytes.raw),
      ...storedBody(bytes.raw),
      ...(bytes.batch ? { batch: bytes.batch } : {}),
    };
  }

  /**
   * The first delivery with one of these keys, answered as it was: a duplicate of an
   * applied delivery, or the same parked answer. Undefined when no key is claimed — or
   * when a claim has no receipt behind it yet (EventStoreDB: a crash between the key
   * reservation and the append), so that this delivery completes the append.
   */
  private async findFirstReceipt(keys: readonly string[]): Promise<DeliveryResult | undefined> {
    for (const key of keys) {
      const owner = await this.dependencies.store.findUniqueKey(key);
      if (!owner) continue;
      const answer = await this.answerForOwner(owner, false);
      if (answer) return answer;
    }
    return undefined;
  }

  private async answerForOwner(
    owner: UniqueKeyOwner | Omit<UniqueKeyOwner, 'key'>,
    required: true,
  ): Promise<DeliveryResult>;
  private async answerForOwner(
    owner: UniqueKeyOwner | Omit<UniqueKeyOwner, 'key'>,
    required: false,
  ): Promise<DeliveryResult | undefined>;
  private async answerForOwner(
    owner: Omit<UniqueKeyOwner, 'key'>,
    required: boolean,
  ): Promise<DeliveryResult | undefined> {
    const recent = this.recentReceipts.find(owner.streamId, owner.revision);
    if (recent) return this.answerFor(recent);
    const [first] = await this.dependencies.store.readStream(owner.streamId, {
      fromRevision: owner.revision,
      limit: 1,
    });
    if (first?.type !== 'WebhookReceived') {
      if (!required) return undefined;
      throw new Error(`the delivery that claimed a key in ${owner.streamId} has no receipt yet`);
    }
    const receipt = first.data as unknown as WebhookReceived;
    return this.answerFor({ receiptId: first.id, ...receipt });
  }

  /** The answer to a redelivery: what its first receipt was answered, counted. */
  private answerFor(first: ReceiptAnswer): DeliveryResult {
    this.dependencies.redeliveries.record(first.receiptId, this.now().toISOString());
    if (first.outcome === 'parked' && first.parkedReason) {
      return parkedResult(first.receiptId, first.parkedReason, first.errors);
    }
    return { kind: 'duplicate', receiptId: first.receiptId };
  }

  private duplicate(receiptId: string): DeliveryResult {
    this.dependencies.redeliveries.record(receiptId, this.now().toISOString());
    return { kind: 'duplicate', receiptId };
  }

  private async findParkedReceipt(
    receiptId: string,
  ): Promise<{ receipt: WebhookReceived; provider: Provider } | undefined> {
    for (const provider of ['cope', 'ltd', 'ingresse'] as const) {
      const streamId = streamIds.parked(provider);
      for (let from = 0; ; from += 500) {
        const page = await this.dependencies.store.readStream(streamId, {
          fromRevision: from,
          limit: 500,
        });
        const found = page.find(
          (event) => event.id === receiptId && event.type === 'WebhookReceived',
        );
        if (found) return { receipt: found.data as unknown as WebhookReceived, provider };
        if (page.length < 500) break;
      }
    }
    return undefined;
  }

  private async recordReprocessing(
    provider: Provider,
    parkedReceiptId: string,
    result: DeliveryResult,
  ): Promise<void> {
    const attempt = randomUUID();
    const record: LedgerEvent = {
      type: 'ParkedDeliveryReprocessed',
      data: {
        parkedReceiptId,
        outcome: result.kind === 'rejected' ? 'parked' : result.kind,
        ...(result.kind === 'accepted'
          ? { receiptId: result.receiptId, streamId: result.streamId }
          : {}),
        ...(result.kind === 'duplicate' ? { receiptId: result.receiptId } : {}),
        ...(result.kind === 'parked'
          ? { parkedReason: result.reason, ...(result.errors ? { errors: result.errors } : {}) }
          : {}),
      },
    };
    await this.dependencies.writer.write({
      streamId: streamIds.parked(provider),
      kind: 'parked',
      decider: parkedLogDecider,
      decide: () => [record],
      eventId: () => uuidV5(`reprocess\u0000${parkedReceiptId}\u0000${attempt}`),
    });
  }
}

function parkedResult(
  receiptId: string,
  reason: ParkReason,
  errors: readonly ContractViolation[] | undefined,
): ParkedResult {
  return { kind: 'parked', receiptId, reason, ...(errors ? { errors } : {}) };
}

function rejected(
  status: 400 | 401,
  title: string,
  detail: string,
): DeliveryResult & { kind: 'rejected' } {
  return { kind: 'rejected', status, title, detail };
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** CloudEvents binary mode: the attributes travel as `ce-*` headers, the body is the data. */
function isBinaryMode(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  contentType: string,
): boolean {
  return headers['ce-specversion'] !== undefined && !CLOUDEVENTS_STRUCTURED.test(contentType);
}

/**
 * In binary mode the body is the event's data and the attributes were headers: a
 * pointer into `data` becomes a pointer into the body, and an attribute's problem
 * names its `ce-` header.
 */
function binaryModeViolations(errors: readonly ContractViolation[]): ContractViolation[] {
  return errors.map(({ pointer, message }) => {
    if (pointer === '/data' || pointer.startsWith('/data/')) {
      return { pointer: pointer.slice('/data'.length), message };
    }
    const attribute = pointer.slice(1).split('/')[0] ?? '';
    return { pointer: '', message: `ce-${attribute} header: ${message}` };
  });
}
