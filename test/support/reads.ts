// Reads out of the API over HTTP: JSON GETs, waiting for the read models, and canonical
// dumps of every read model for the ids a scenario mentions.
import type { Provider } from '#ledger';
import type { Answer } from './http-answers.js';
import { postCope, postIngresse, postLtd } from './ledger-api.harness.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface JsonAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Json;
}

/** GETs a path of the API and parses the JSON answer (whatever the status). */
export async function getJson(api: { url: string }, path: string): Promise<JsonAnswer> {
  const response = await fetch(`${api.url}${path}`);
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? null : (JSON.parse(text) as Json),
  };
}

/** The member of a JSON object (undefined when the value is not an object or lacks it). */
export function field(value: Json | undefined, key: string): Json | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return value[key];
}

/** The JSON value as text: a string as it is, anything else as JSON ('' when absent). */
export function text(value: Json | undefined): string {
  if (typeof value === 'string') return value;
  return value === undefined ? '' : JSON.stringify(value);
}

/** The JSON value as an array (empty when it is not one). */
export function items(value: Json | undefined): Json[] {
  return Array.isArray(value) ? value : [];
}

/** POSTs a raw body to the provider's webhook route, authenticated as the harness does. */
export function deliver(api: { url: string }, provider: Provider, body: string): Promise<Answer> {
  switch (provider) {
    case 'cope':
      return postCope(api, body);
    case 'ltd':
      return postLtd(api, body);
    case 'ingresse':
      return postIngresse(api, body);
  }
}

interface ProjectionState {
  readonly name: string;
  readonly status: string;
  readonly checkpoint: number;
  readonly lag: number;
}

/** `GET /projections`, typed. */
export async function projectionStates(api: { url: string }): Promise<ProjectionState[]> {
  const answer = await getJson(api, '/projections');
  if (answer.status !== 200) throw new Error(`GET /projections answered ${String(answer.status)}`);
  return items(answer.body).map((item) => ({
    name: text(field(item, 'name')),
    status: text(field(item, 'status')),
    checkpoint: Number(field(item, 'checkpoint')),
    lag: Number(field(item, 'lag')),
  }));
}

/**
 * Waits until every projection has applied the log up to `position` and has no lag
 * (`GET /projections`), or fails after `timeoutMs`.
 */
export async function waitForReadModels(
  api: { url: string },
  position: number,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await projectionStates(api);
    if (states.every((state) => state.checkpoint >= position && state.lag === 0)) return;
    if (Date.now() > deadline) {
      throw new Error(`read models did not reach ${String(position)}: ${JSON.stringify(states)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** What a canonical dump leaves out (reconciliation.md): receipt ids, positions, received-at times. */
const VOLATILE = new Set(['asOfPosition', 'receiptId', 'position', 'receivedAt', 'recordedAt']);

/** The value with volatile members removed and every object's keys sorted; arrays keep their order. */
export function canonical(value: Json): Json {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .filter((key) => !VOLATILE.has(key))
        .sort()
        .map((key) => [key, canonical(value[key] ?? null)]),
    );
  }
  return value;
}

/** The ids whose reads a dump holds. */
export interface DumpIds {
  readonly copeEvents: readonly string[];
  readonly ticketCodes: readonly string[];
  readonly copeTickets: readonly string[];
  readonly ltdBookings: readonly string[];
  readonly ltdPerformances: readonly number[];
  readonly ingresseEvents: readonly number[];
}

/** A read's status and canonical body (a 404's problem details included). */
export interface DumpedRead {
  readonly status: number;
  readonly body: Json;
}

export interface Dump {
  readonly attendance: Record<string, DumpedRead>;
  readonly copeInventory: Record<string, DumpedRead>;
  readonly tickets: Record<string, DumpedRead>;
  readonly copeDeliveries: Record<string, DumpedRead>;
  readonly ltdDeliveries: Record<string, DumpedRead>;
  readonly ltdInventory: Record<string, DumpedRead>;
  readonly ingresseInventory: Record<string, DumpedRead>;
  /** Every open discrepancy, in the list's order. */
  readonly discrepancies: Json[];
}

async function dumped(api: { url: string }, path: string): Promise<DumpedRead> {
  const answer = await getJson(api, path);
  return { status: answer.status, body: canonical(answer.body) };
}

/** Every page of `/discrepancies` (small pages, so that paging is part of what is compared). */
export async function allDiscrepancies(
  api: { url: string },
  query = '',
  limit = 7,
): Promise<Json[]> {
  const all: Json[] = [];
  let after: string | null = null;
  for (let page = 0; page < 1000; page += 1) {
    const cursor: string = after === null ? '' : `&after=${encodeURIComponent(after)}`;
    const answer = await getJson(api, `/discrepancies?limit=${String(limit)}${cursor}${query}`);
    if (answer.status !== 200) {
      throw new Error(`GET /discrepancies answered ${String(answer.status)}`);
    }
    all.push(...items(field(answer.body, 'items')));
    const next = field(answer.body, 'next');
    if (typeof next !== 'string') return all;
    after = next;
  }
  throw new Error('/discrepancies never ended');
}

/** `work` on every item, at most `concurrency` at a time; the results in the items' order. */
export async function inParallel<Item, Result>(
  list: readonly Item[],
  concurrency: number,
  work: (item: Item) => Promise<Result>,
): Promise<Result[]> {
  const results: Result[] = new Array<Result>(list.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, concurrency) }, async () => {
    while (next < list.length) {
      const index = next++;
      results[index] = await work(list[index] as Item);
    }
  });
  await Promise.all(lanes);
  return results;
}

/**
 * The canonical dump of every read model for the ids: attendance and inventory per COPE
 * event, every ticket code, COPE and LTD deliveries, LTD and Ingresse inventory, and the
 * whole discrepancy list, paged. `concurrency` reads are in flight at once (one by default).
 */
export async function canonicalDump(
  api: { url: string },
  ids: DumpIds,
  concurrency = 1,
): Promise<Dump> {
  const each = async <Id extends string | number>(
    list: readonly Id[],
    path: (id: Id) => string,
  ): Promise<Record<string, DumpedRead>> => {
    const answers = await inParallel(list, concurrency, (id) => dumped(api, path(id)));
    return Object.fromEntries(list.map((id, index) => [String(id), answers[index] as DumpedRead]));
  };
  const segment = (id: string | number) => encodeURIComponent(String(id));
  return {
    attendance: await each(ids.copeEvents, (id) => `/attendance/cope/${segment(id)}`),
    copeInventory: await each(ids.copeEvents, (id) => `/inventory/cope/${segment(id)}`),
    tickets: await each(ids.ticketCodes, (id) => `/tickets/${segment(id)}`),
    copeDeliveries: await each(ids.copeTickets, (id) => `/deliveries/cope/${segment(id)}`),
    ltdDeliveries: await each(ids.ltdBookings, (id) => `/deliveries/ltd/${segment(id)}`),
    ltdInventory: await each(ids.ltdPerformances, (id) => `/inventory/ltd/${segment(id)}`),
    ingresseInventory: await each(ids.ingresseEvents, (id) => `/inventory/ingresse/${segment(id)}`),
    discrepancies: (await allDiscrepancies(api)).map(canonical),
  };
}

/** The read of one id in a dump; fails when the dump does not hold it. */
export function dumpedRead(
  dump: Dump,
  model: Exclude<keyof Dump, 'discrepancies'>,
  id: string | number,
): DumpedRead {
  const read = dump[model][String(id)];
  if (read === undefined) throw new Error(`the dump holds no ${model} read of ${String(id)}`);
  return read;
}

/** JSON with every object's keys sorted (arrays keep their order): equal dumps, equal bytes. */
export function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, member: unknown) =>
    typeof member === 'object' && member !== null && !Array.isArray(member)
      ? Object.fromEntries(
          Object.keys(member)
            .sort()
            .map((key) => [key, (member as Record<string, unknown>)[key]]),
        )
      : member,
  );
}

/**
 * Rebuilds every read model from position 0 (`POST /projections/{name}/rebuild`, all at
 * once) and waits until each rebuild has been swapped in.
 */
export async function rebuildAll(api: { url: string }, timeoutMs = 20_000): Promise<void> {
  const names = (await projectionStates(api)).map((state) => state.name);
  const started = await Promise.all(
    names.map(async (name) => {
      const response = await fetch(`${api.url}/projections/${name}/rebuild`, { method: 'POST' });
      const answer = (await response.json()) as Json;
      if (response.status !== 202) {
        throw new Error(`rebuild of ${name} answered ${String(response.status)}`);
      }
      return { name, rebuildId: field(answer, 'rebuildId') };
    }),
  );
  const deadline = Date.now() + timeoutMs;
  for (const { name, rebuildId } of started) {
    for (;;) {
      const state = (await getJson(api, `/projections/${name}`)).body;
      const rebuild = field(state, 'rebuild');
      if (
        field(rebuild, 'rebuildId') === rebuildId &&
        typeof field(rebuild, 'finishedAt') === 'string' &&
        field(state, 'status') === 'live'
      ) {
        break;
      }
      if (Date.now() > deadline) {
        throw new Error(`the rebuild of ${name} did not finish: ${JSON.stringify(state)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** A JSON answer in the shape of the intake tests' answers (for `expectProblem`). */
export function asAnswer(answer: JsonAnswer): Answer {
  const { body } = answer;
  return {
    status: answer.status,
    headers: answer.headers,
    body: typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {},
  };
}
