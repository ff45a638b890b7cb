// The built CLI's exit codes for what it cannot run: an unknown command is a usage error
// (64, EX_USAGE), a bad environment a configuration error (78, EX_CONFIG, as the API).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/built-cli.js';

describe('npm run cli -- (usage and configuration errors)', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ticket-ledger-cli-usage-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given an unknown command, then exit 64 with the usage on stderr', async () => {
    const run = await runCli(['frobnicate'], { DATA_DIR: dataDir });

    expect(run.code).toBe(64);
    expect(run.stderr).toContain('Unknown command "frobnicate"');
    expect(run.stderr).toContain('reprocess');
  });

  it('given an invalid variable, then exit 78 naming it', async () => {
    const run = await runCli(['status'], { DATA_DIR: dataDir, WEBHOOK_MAX_BYTES: 'lots' });

    expect(run.code).toBe(78);
    expect(run.stderr).toContain('invalid configuration: WEBHOOK_MAX_BYTES');
  });
});
