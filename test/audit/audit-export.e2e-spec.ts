// A log longer than the store's pages: the export streams it page by page, the type
// filter keeps reading pages until it found enough, and verify reads it all.
import { SqliteEventStore } from '#event-store';
import { LedgerWriter, type Decider, type LedgerEvent } from '#ledger';
import { eventsFile } from '../support/intake-store.js';
import {
  PROVIDER_SECRETS,
  startLedgerApi,
  type RunningLedgerApi,
} from '../support/ledger-api.harness.js';

const STREAMS = 300;
const EVENTS_PER_STREAM = 5;

const record: Decider<LedgerEvent[], null> = {
  initialState: null,
  stateless: true,
  evolve: (state) => state,
  decide: (events) => events,
};

function changed(id: number): LedgerEvent {
  return {
    type: 'LtdEventChanged',
    data: {
      eventId: id,
      details: { name: `Show ${String(id)}` },
      reportedAt: 'r',
      senderTime: 's',
      hash: 'h',
    },
  };
}

const superseded: LedgerEvent = {
  type: 'SnapshotSuperseded',
  data: { subject: 's', senderTime: 't', hash: 'h', newestSenderTime: 'u', newestHash: 'i' },
};

describe('the audit export and log over a long log', () => {
  let api: RunningLedgerApi;
  let total: number;

  beforeAll(async () => {
    api = await startLedgerApi(PROVIDER_SECRETS);
    // Written beside the API through a connection of its own, as the CLI import would.
    const store = SqliteEventStore.open({ file: eventsFile(api.dataDir) });
    const writer = new LedgerWriter(store);
    await Promise.all(
      Array.from({ length: STREAMS }, (_, stream) =>
        writer.write({
          streamId: `show-ltd.${String(stream)}`,
          kind: 'test',
          decider: record,
          decide: () => Array.from({ length: EVENTS_PER_STREAM }, (__, index) => changed(index)),
          eventId: (index) =>
            `00000000-0000-4000-8000-${String(stream * 10 + index).padStart(12, '0')}`,
        }),
      ),
    );
    await writer.write({
      streamId: 'show-ltd.last',
      kind: 'test',
      decider: record,
      decide: () => [superseded],
      eventId: () => '00000000-0000-4000-8000-999999999999',
    });
    total = await store.headPosition();
    await store.close();
  });

  afterAll(async () => {
    await api.dispose();
  });

  it('given a client that reads slowly, then the NDJSON export still arrives whole, in position order', async () => {
    const response = await fetch(`${api.url}/audit/export`);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      const bytes = chunk.value as Uint8Array;
      text += decoder.decode(bytes, { stream: true });
      await new Promise((resolve) => setTimeout(resolve, 1));
    }

    const positions = text
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { position: number }).position);
    expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(positions).toHaveLength(total);
    expect(positions).toEqual(Array.from({ length: total }, (_, index) => index + 1));
  });

  it('given a range across pages, then exactly the events from fromPosition to toPosition', async () => {
    const text = await (
      await fetch(`${api.url}/audit/export?fromPosition=499&toPosition=1002`)
    ).text();

    const positions = text
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { position: number }).position);
    expect(positions[0]).toBe(499);
    expect(positions.at(-1)).toBe(1002);
    expect(positions).toHaveLength(504);
  });

  it('given a type found only at the end of the log, then the filter reads on through every page to it', async () => {
    const response = await fetch(`${api.url}/audit/log?type=SnapshotSuperseded&limit=5`);
    const answer = (await response.json()) as { events: { position: number }[]; next: unknown };

    expect(answer.events.map((event) => event.position)).toEqual([total]);
    expect(answer.next).toBeNull();
  });

  it('given the whole log, then verify checks every event across pages and finds it intact', async () => {
    const report = (await (await fetch(`${api.url}/audit/verify`)).json()) as Record<
      string,
      unknown
    >;

    expect(report).toMatchObject({
      ok: true,
      eventsChecked: total,
      streamsChecked: STREAMS + 1,
      checkedToPosition: total,
    });
  });
});
