import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The server as `npm start` runs it: the build output (npm test builds first). */
export const builtApi = fileURLToPath(
  new URL('../../dist/apps/ledger-api/src/main.js', import.meta.url),
);

export interface RunningApi {
  readonly url: string;
  readonly pid: number;
  /** Sends the signal (SIGTERM by default) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; output: string }>;
}

/** Starts the built server on a free loopback port and waits until it listens. */
export async function startBuiltApi(env: Record<string, string>): Promise<RunningApi> {
  const child = spawn(process.execPath, [builtApi], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; output: string }>((resolve) => {
    child.on('exit', (code) => {
      resolve({ code, output });
    });
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`the API did not start in time:\n${output}`));
    }, 15_000);
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /"url":"(http:\/\/[^"]+)".*"msg":"ledger-api listening"/.exec(output);
      if (listening?.[1]) {
        clearTimeout(timer);
        resolve(listening[1]);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the API exited at start:\n${output}`));
    });
  });
  return {
    url,
    pid: child.pid ?? 0,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
