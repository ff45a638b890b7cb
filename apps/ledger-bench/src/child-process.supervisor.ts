import { fork, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkerReply, WorkerTask } from './bench.worker.js';

/**
 * Every process the benchmark starts is registered here and killed when the benchmark
 * ends, however it ends: a server left running would skew the next run and hold its port.
 */
const children = new Set<ChildProcess>();

const cleanups: (() => void)[] = [];

function killAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  for (const cleanup of cleanups.splice(0)) cleanup();
}

/** Runs `cleanup` (synchronously) when the benchmark exits, after its children are killed. */
export function onExit(cleanup: () => void): void {
  cleanups.push(cleanup);
}

let installed = false;

/** Kills the children on exit, on Ctrl-C / SIGTERM, and on an uncaught failure. */
export function installChildCleanup(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\nbenchmark interrupted (${signal}): stopping its processes\n`);
      killAll();
      process.exit(130);
    });
  }
}

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** A port nobody listens on right now (the server under test cannot report one it picked). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

export interface RunningServer {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  readonly logFile: string;
  /** SIGTERM (graceful stop), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface ServerLaunch {
  readonly name: string;
  /** The compiled entry point to run with `node`. */
  readonly script: URL;
  /** The whole environment (nothing is inherited but PATH): the server sees only this. */
  readonly env: Readonly<Record<string, string>>;
  readonly port: number;
  readonly logFile: string;
  /** Answers 200 once the server serves. */
  readonly readyPath: string;
  readonly startTimeoutMs?: number;
}

/**
 * Starts a server as a child process with its output in a log file, and resolves once
 * `readyPath` answers 200. The child gets an IPC channel only so that a preload can stop
 * it if the benchmark dies without cleaning up (SIGKILL).
 */
export async function launchServer(launch: ServerLaunch): Promise<RunningServer> {
  const log = openSync(launch.logFile, 'a');
  const child = track(
    spawn(
      process.execPath,
      [
        '--import',
        new URL('./parent-watch.preload.js', import.meta.url).href,
        fileURLToPath(launch.script),
      ],
      {
        env: { PATH: process.env['PATH'] ?? '', ...launch.env },
        stdio: ['ignore', log, log, 'ipc'],
      },
    ),
  );
  closeSync(log);
  const url = `http://127.0.0.1:${String(launch.port)}`;
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => {
      reject(
        new Error(
          `${launch.name} exited (${signal ?? String(code)}) before it was ready:\n${logTail(launch.logFile)}`,
        ),
      );
    });
  });
  exited.catch(() => undefined);
  const deadline = Date.now() + (launch.startTimeoutMs ?? 60_000);
  for (;;) {
    const ready = await Promise.race([isReady(`${url}${launch.readyPath}`), exited]);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `${launch.name} not ready after ${String(launch.startTimeoutMs ?? 60_000)} ms:\n${logTail(launch.logFile)}`,
      );
    }
    await sleep(100);
  }
  return {
    name: launch.name,
    url,
    pid: child.pid ?? 0,
    logFile: launch.logFile,
    stop: (graceMs = 15_000) => stopChild(child, graceMs),
  };
}

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    child.kill('SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

export function logTail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Runs one task of bench.worker in a child process and returns its result. `timeoutMs`
 * bounds it: a stuck child is killed, and the benchmark goes on without that figure.
 */
export async function runWorker<T>(task: WorkerTask, timeoutMs: number): Promise<T> {
  const child = track(
    fork(fileURLToPath(new URL('./bench.worker.js', import.meta.url)), [JSON.stringify(task)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  return new Promise<T>((resolve, reject) => {
    let reply: WorkerReply | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${task.task} worker timed out after ${String(timeoutMs)} ms`));
    }, timeoutMs);
    child.on('message', (message: WorkerReply) => {
      reply = message;
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (reply?.ok) resolve(reply.result as T);
      else if (reply) reject(new Error(`${task.task} worker failed: ${reply.error}`));
      else
        reject(
          new Error(`${task.task} worker exited (${signal ?? String(code)}) without a result`),
        );
    });
  });
}
