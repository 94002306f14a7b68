/**
 * Helpers for the `login` tests: a running `oauth-handoff login` process whose
 * stderr can be waited on, approval of a sandbox authorization URL over plain
 * HTTP (as the approve button does). The browser comes from test/helpers/browser.ts.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { BIN, cleanEnv, ROOT, runCli, tempDir, trackChildren } from '../helpers/cli.js';
import type { CliResult } from '../helpers/cli.js';
import { tmux } from '../helpers/tmux.js';
import type { Pane } from '../helpers/tmux.js';
import { startSandbox } from '../../src/sandbox/index.js';

export interface Machine {
  base: string;
  home: string;
  env: NodeJS.ProcessEnv;
}

/** A headless machine: an empty store in a temp dir. */
export async function machine(t: ExecutionContext, extra: NodeJS.ProcessEnv = {}): Promise<Machine> {
  const base = await tempDir(t, 'oh-login-');
  const home = join(base, 'store');
  return { base, home, env: cleanEnv(base, { OAUTH_HANDOFF_HOME: home, ...extra }) };
}

/** The credentials in a store (file names without .ohs); none when the store was never made. */
export async function storedNames(home: string): Promise<string[]> {
  try {
    return (await readdir(join(home, 'credentials'))).filter((f) => f.endsWith('.ohs')).map((f) => f.slice(0, -4)).sort();
  } catch {
    return [];
  }
}

export interface LoginRun {
  child: ChildProcess;
  stderr(): string;
  /** resolves with the first match of `re` in stderr; rejects when the process ends first or after timeoutMs */
  waitForStderr(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** the authorization URL the CLI printed (its own line on stderr), once all instructions are out */
  authorizationUrl(timeoutMs?: number): Promise<string>;
  /** write one line to stdin and close it, as a pipe would */
  paste(line: string): void;
  done: Promise<CliResult>;
}

/**
 * Start `oauth-handoff login …` with stdin as an open pipe, in a new session
 * (no controlling terminal, as under cron or CI): a test can never end up
 * waiting on a prompt on the developer's terminal.
 */
export function startLogin(t: ExecutionContext, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): LoginRun {
  const track = trackChildren(t);
  const child = track(spawn(process.execPath, [BIN, 'login', ...args], { env, cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], detached: true }));
  let err = '';
  let out = '';
  let ended = false;
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  // stdin stays open (helpers/cli's collect() would close it): paste() writes and closes it
  const done = new Promise<CliResult>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      ended = true;
      resolve({ code, signal, stdout: out, stderr: err });
    });
  });
  const waitForStderr = async (re: RegExp, wait = 30_000): Promise<RegExpExecArray> => {
    const until = Date.now() + wait;
    for (;;) {
      const m = re.exec(err);
      if (m) return m;
      if (ended) throw new Error(`login ended before ${re} appeared on stderr:\n${err}`);
      if (Date.now() > until) throw new Error(`${re} did not appear on stderr within ${wait} ms:\n${err}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return {
    child,
    stderr: () => err,
    waitForStderr,
    authorizationUrl: async (wait) => {
      // all the instructions are out once it says it is waiting
      await waitForStderr(/^oauth-handoff: waiting up to/m, wait);
      return (await waitForStderr(/^(https?:\/\/\S+)$/m, wait))[1] as string;
    },
    paste: (line) => {
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(`${line}\n`);
    },
    done,
  };
}

/**
 * What the sandbox's approve (or deny) button does, over HTTP: open the
 * authorization URL, post the decision, return where the browser is sent
 * (absolute). With autoApprove the first answer is already the redirect.
 */
export async function decideByHttp(authorizationUrl: string, decision: 'approve' | 'deny' = 'approve'): Promise<string> {
  const first = await fetch(authorizationUrl, { redirect: 'manual' });
  const html = await first.text();
  if (first.status >= 300 && first.status < 400) return new URL(first.headers.get('location') ?? '', authorizationUrl).toString();
  const tx = /name="transaction_id" value="([^"]+)"/.exec(html)?.[1];
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!tx || !action) throw new Error(`no approval form at ${authorizationUrl} (HTTP ${first.status}): ${html.slice(0, 300)}`);
  const res = await fetch(new URL(action, authorizationUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ transaction_id: tx.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))), decision }).toString(),
  });
  await res.arrayBuffer();
  const location = res.headers.get('location');
  if (!location) throw new Error(`the decision was answered HTTP ${res.status} without a redirect`);
  return new URL(location, authorizationUrl).toString();
}

/** `oauth-handoff login …` with stdin closed at once, to the end. */
export async function loginOnce(t: ExecutionContext, args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const run = startLogin(t, args, env);
  run.child.stdin!.end();
  return run.done;
}

/** `oauth-handoff token NAME` on that machine. */
export async function tokenOf(m: Machine, name: string): Promise<CliResult> {
  return runCli(['token', name], { env: m.env });
}

/** The rows of an 80-column screen with the (ASCII) rows the terminal wrapped joined back. */
export const unwrapScreen = (screen: string): string => screen.split('\n').reduce((acc, row) => acc + row + (/^[\x20-\x7e]{80}$/.test(row) ? '' : '\n'), '');

export interface SmallScreenLogin {
  /** the screen at the prompt, as the terminal shows it */
  visible: string;
  /** the same with wrapped rows joined */
  joined: string;
  /** the authorization URL read off the screen */
  url: string;
  /** the pane, to type into and read */
  pane: Pane & { visible(): Promise<string> };
  /** approve, paste where the browser landed, and check that login stored the credential */
  finish(): Promise<void>;
}

/**
 * `login --paste` against a Redmine sandbox in an 80x24 tmux pane, up to its
 * prompt, with what every such screen must show checked: at most 24 rows, the
 * prompt on the last one, the whole authorization URL on screen.
 */
export async function loginOnSmallScreen(t: ExecutionContext, o: { mode: 'oob' | 'loopback'; prompt: RegExp; env?: NodeJS.ProcessEnv }): Promise<SmallScreenLogin> {
  const sb = await startSandbox({ profile: 'redmine' });
  t.teardown(() => sb.close());
  const m = await machine(t, { OAUTH_HANDOFF_CLIENT_SECRET: sb.client.secret, ...o.env });
  const args = ['login', '--paste', '--provider', 'redmine', '--site', sb.url, '--client-id', sb.client.id, '--redirect', o.mode, '--name', 'small'];
  const pane = await tmux(t, m.base, m.env, `${process.execPath} ${BIN} ${args.join(' ')}; echo "[login exited $?]"; sleep 600`, { x: 80, y: 24 });
  await pane.waitFor(o.prompt);
  const visible = await pane.visible();
  t.log(`\n${visible}`);
  const rows = visible.replace(/\n+$/, '').split('\n');
  t.true(rows.length <= 24);
  t.regex(`${rows[rows.length - 1] as string} `, o.prompt, 'the prompt is the last row (tmux trims the space after it)');
  const joined = unwrapScreen(visible);
  const url = /^(http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?\S+)$/m.exec(joined)?.[1] ?? '';
  t.truthy(url, `the whole URL is on screen:\n${visible}`);
  t.regex(url, /code_challenge_method=S256$/, 'the URL is whole');
  return {
    visible,
    joined,
    url,
    pane,
    async finish() {
      await pane.type(await decideByHttp(url));
      await pane.keys('Enter');
      const end = await pane.waitFor(/\[login exited \d+\]/);
      t.regex(end, /\[login exited 0\]/, end);
      t.deepEqual(await storedNames(m.home), ['small']);
    },
  };
}
