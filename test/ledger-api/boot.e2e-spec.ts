import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtApi, startBuiltApi, type RunningApi } from '../support/built-api.js';

describe('ledger-api process', () => {
  let dataDir: string;
  let api: RunningApi | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ticket-ledger-boot-'));
  });

  afterEach(async () => {
    await api?.stop();
    api = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given the embedded store, when started, then /health answers 200 with the store status and DATA_DIR holds the store', async () => {
    api = await startBuiltApi({ DATA_DIR: join(dataDir, 'fresh') });

    const health = await fetch(`${api.url}/health`);
    const live = await fetch(`${api.url}/health/live`);

    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      store: { status: 'up', store: 'sqlite' },
    });
    expect(live.status).toBe(200);
  });

  it('serves the OpenAPI document at /docs-json and its UI at /docs', async () => {
    api = await startBuiltApi({ DATA_DIR: dataDir });

    const document = (await (await fetch(`${api.url}/docs-json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    const ui = await fetch(`${api.url}/docs`);

    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/webhooks/{provider}', '/health', '/projections']),
    );
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toContain('text/html');
  });

  it('when sent SIGTERM, then it closes the store and exits 0', async () => {
    api = await startBuiltApi({ DATA_DIR: dataDir });

    const exit = await api.stop('SIGTERM');

    expect(exit.code).toBe(0);
    expect(exit.output).toContain('event store closed');
    expect(exit.output).toContain('ledger-api stopped');
  });

  it.each([
    ['PORT', 'eighty'],
    ['WEBHOOK_MAX_BYTES', '-5'],
    ['COPE_WEBHOOK_AUTH', 'magic'],
  ])(
    'given %s=%s, then it stops at start with a message naming the variable',
    async (name, value) => {
      const exit = await runToExit({ DATA_DIR: dataDir, [name]: value });

      expect(exit.code).not.toBe(0);
      expect(exit.output).toContain(`invalid configuration: ${name}`);
    },
  );

  it('given NODE_ENV=production without secrets, then it refuses to start', async () => {
    const exit = await runToExit({ DATA_DIR: dataDir, NODE_ENV: 'production' });

    expect(exit.code).not.toBe(0);
    expect(exit.output).toMatch(/invalid configuration: (COPE_WEBHOOK_SECRET|API_KEYS)/);
  });
});

function runToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child: ChildProcess = spawn(process.execPath, [builtApi], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      resolve({ code, output });
    });
  });
}
