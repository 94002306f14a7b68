/** Helpers for the browser-side tests: the built CLI as a real child process, a headless store, free ports. */
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { createMachineKey, storeLayout } from '../../src/settings-file/index.js';
import { cleanEnv, spawnCli, tempDir, trackChildren } from '../helpers/cli.js';
import type { CliResult } from '../helpers/cli.js';
import { freePort } from '../helpers/net.js';
export { freePort };

/** A headless machine: its own store with a machine key, and the env to run the CLI there. */
export interface HeadlessMachine {
  base: string;
  home: string;
  env: NodeJS.ProcessEnv;
  publicKey: string;
}

export async function headlessMachine(t: ExecutionContext): Promise<HeadlessMachine> {
  const base = await tempDir(t, 'oh-server-');
  const home = join(base, 'store');
  const key = await createMachineKey(storeLayout(home));
  return { base, home, env: cleanEnv(base, { OAUTH_HANDOFF_HOME: home }), publicKey: key.publicKey };
}

/** The laptop: a clean environment (no DISPLAY, so no browser is opened) in its own temp dir. */
export async function laptop(t: ExecutionContext, extra: NodeJS.ProcessEnv = {}): Promise<{ base: string; env: NodeJS.ProcessEnv }> {
  const base = await tempDir(t, 'oh-laptop-');
  return { base, env: cleanEnv(base, extra) };
}

export interface RunningCli {
  /** what it printed so far */
  stdout(): string;
  stderr(): string;
  /** resolves with the first match of `re` in stderr (bounded wait) */
  waitForStderr(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  write(text: string): void;
  endInput(): void;
  done: Promise<CliResult>;
  pid: number | undefined;
}

/** Start the built CLI; stdin stays open until endInput(); killed at the end of the test. */
export function startCli(t: ExecutionContext, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): RunningCli {
  const child = trackChildren(t)(spawnCli(args, { env }));
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    err += d;
    for (const w of waiters) w();
  });
  child.stdin!.on('error', () => undefined); // the child may exit before reading
  const done = new Promise<CliResult>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      for (const w of waiters) w();
      resolve({ code, signal, stdout: out, stderr: err });
    });
  });
  return {
    stdout: () => out,
    stderr: () => err,
    pid: child.pid,
    write: (text) => void child.stdin!.write(text),
    endInput: () => void child.stdin!.end(),
    done,
    waitForStderr(re, wait = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = re.exec(err);
          if (m) {
            cleanup();
            resolve(m);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            cleanup();
            reject(new Error(`the CLI exited (${child.exitCode ?? child.signalCode}) before printing ${re}:\n${err}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${re} on stderr:\n${err}`));
        }, wait);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** The authorization URL `authorize` / `relay` printed on a line of its own. */
export async function printedAuthorizationUrl(cli: RunningCli): Promise<URL> {
  const m = await cli.waitForStderr(/^(https?:\/\/\S*[?&]response_type=code\S*)$/m);
  return new URL(m[1]!);
}


/** GET without following redirects; status and body, or the connection error code. */
export async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string } | { error: string }> {
  try {
    const res = await fetch(url, { redirect: 'manual', headers });
    return { status: res.status, text: await res.text() };
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause;
    return { error: cause?.code ?? (e as Error).message };
  }
}
