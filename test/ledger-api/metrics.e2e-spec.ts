import { LTD_EXAMPLES } from '#testing';
import { PROVIDER_SECRETS, post, postLtd, startLedgerApi } from '../support/ledger-api.harness.js';

describe('GET /metrics', () => {
  it('exposes deliveries by provider and outcome, append latency, group-commit sizes and projection lag, without an API key', async () => {
    const api = await startLedgerApi({ ...PROVIDER_SECRETS, API_KEYS: 'a-reader-key-000:reader' });
    const accepted = await postLtd(api, JSON.stringify(LTD_EXAMPLES.PerformanceChanged));
    await postLtd(api, JSON.stringify(LTD_EXAMPLES.PerformanceChanged));
    await post(`${api.url}/webhooks/ltd`, '{}');
    await fetch(
      `${api.url}/inventory/ltd/688971?minPosition=${String(accepted.body['position'])}`,
      {
        headers: { authorization: 'Bearer a-reader-key-000' },
      },
    );

    const response = await fetch(`${api.url}/metrics`);
    const text = await response.text();
    await api.dispose();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(text).toContain('ticket_ledger_deliveries_total{provider="ltd",outcome="accepted"} 1');
    expect(text).toContain('ticket_ledger_deliveries_total{provider="ltd",outcome="duplicate"} 1');
    expect(text).toContain('ticket_ledger_deliveries_total{provider="ltd",outcome="rejected"} 1');
    expect(text).toMatch(/ticket_ledger_append_duration_seconds_count \d+/);
    expect(text).toMatch(/ticket_ledger_group_commit_appends_count \d+/);
    expect(text).toContain('ticket_ledger_projection_lag{projection="inventory"} 0');
    expect(text).toMatch(/ticket_ledger_projection_checkpoint\{projection="attendance"\} \d+/);
    expect(text).toMatch(/ticket_ledger_process_resident_memory_bytes \d+/);
  });
});
