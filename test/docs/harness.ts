/**
 * Runs a document's runnable blocks the way a reader would: in order, in one
 * bash session, with `oauth-handoff` on PATH, a fresh HOME (so the store is
 * the default ~/.config/oauth-handoff), and the placeholders the docs
 * explain set to a sandbox started here. A person with a browser is stood in
 * for: each authorization URL the CLI prints on stderr is opened over HTTP
 * (the sandbox approves at once); the code an out-of-band page shows, or the
 * address a browser would land on when nothing listens there, is pasted on
 * stdin. In a `person=relay` block the person has a laptop instead: the
 * `oauth-handoff relay '…'` line the command printed is run there as printed
 * (its own process, HOME and working directory), the URL relay prints is
 * opened the same way, and the one line relay prints is pasted on stdin.
 * Nothing else is faked: the commands are the docs' own.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { playgroundVariables, startSandbox } from '../../src/sandbox/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { BIN } from '../helpers/cli.js';
import type { BlockProfile, CodeBlock } from './blocks.js';
import { freePort } from '../helpers/net.js';

/** The client registered on each sandbox for the docs (CLIENT_ID). */
export const DOCS_CLIENT_ID = 'docs-example';

export interface DocRunResult {
  ok: boolean;
  /** the exit status of bash (null when killed) */
  code: number | null;
  timedOut: boolean;
  /** the block that was running when it failed */
  failedBlock?: CodeBlock;
  stdout: string;
  stderr: string;
  /** what the browser stand-in did or could not do */
  approvals: string[];
  /** stderr of the relay commands run on the stand-in's laptop (person=relay) */
  laptop: string;
  durationMs: number;
}

interface DocSandbox {
  sandbox: Sandbox;
  redirectUri: string;
  secret: string;
}

const MARK = '::docs-block ';


async function startDocSandbox(profile: BlockProfile): Promise<DocSandbox> {
  const port = await freePort();
  const redirectUri = `http://localhost:${port}/callback`;
  const secret = randomBytes(18).toString('base64url');
  const defaults: Record<BlockProfile, string[]> = {
    generic: ['http://127.0.0.1/callback'],
    redmine: ['http://127.0.0.1/callback', 'urn:ietf:wg:oauth:2.0:oob'],
    backlog: [],
    confluence: [],
    jira: [],
    questetra: [],
    oauth21: ['http://127.0.0.1/callback'],
  };
  const sandbox = await startSandbox({
    profile,
    autoApprove: true,
    clients: [{ id: DOCS_CLIENT_ID, secret, redirectUris: [...defaults[profile], redirectUri, `http://127.0.0.1:${port}/callback`], name: 'docs example' }],
  });
  return { sandbox, redirectUri, secret };
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The placeholders a block sees: exactly the variables `oauth-handoff sandbox`
 * prints for that profile (so a reader pasting them runs the docs as this test
 * does), with the docs' own client and a free redirect port.
 */
function placeholders(d: DocSandbox): Record<string, string> {
  return Object.fromEntries(playgroundVariables(d.sandbox, { id: DOCS_CLIENT_ID, redirectUri: d.redirectUri }));
}

/** The bash script: one marked section per block, placeholders exported before each. */
function script(blocks: CodeBlock[], sandboxes: Map<BlockProfile, DocSandbox>): string {
  const parts = ['set -euo pipefail', `__docs_mark() { printf '\\n${MARK}%s::\\n' "$1"; printf '\\n${MARK}%s::\\n' "$1" >&2; }`];
  blocks.forEach((b, i) => {
    const d = sandboxes.get(b.profile)!;
    parts.push(`# ---- ${b.file}:${b.line} (sandbox ${b.profile})`, `__docs_mark ${i}`);
    for (const [k, v] of Object.entries(placeholders(d))) parts.push(`export ${k}=${q(v)}`);
    parts.push(`(umask 077; printf '%s\\n' ${q(d.secret)} > client-secret.txt)`);
    if (/\bSERVER_KEY\b/.test(b.code)) {
      // the laptop knows the server's public key from `keygen` on the server: here, the same store
      parts.push('if [ -z "${SERVER_KEY:-}" ]; then SERVER_KEY="$(oauth-handoff keygen --show 2>/dev/null || true)"; export SERVER_KEY; fi');
    }
    parts.push(b.code, '');
  });
  parts.push(`__docs_mark end`);
  return parts.join('\n') + '\n';
}

/** Run one document's runnable blocks; never throws for a failing command. */
/** `env` adds to (or overrides) the reader's environment, e.g. LANG for a run in Japanese. */
export async function runDocument(blocks: CodeBlock[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<DocRunResult> {
  const started = Date.now();
  const base = await mkdtemp(join(tmpdir(), 'oh-docs-'));
  const sandboxes = new Map<BlockProfile, DocSandbox>();
  try {
    for (const b of blocks) if (!sandboxes.has(b.profile)) sandboxes.set(b.profile, await startDocSandbox(b.profile));
    const bin = join(base, 'bin');
    const home = join(base, 'home');
    const work = join(base, 'work');
    // the person's laptop (person=relay): its own HOME, and its working directory is that HOME
    const laptopHome = join(base, 'laptop');
    await Promise.all([mkdir(bin), mkdir(home), mkdir(work), mkdir(laptopHome)]);
    await symlink(BIN, join(bin, 'oauth-handoff'));
    // `npx oauth-handoff …` as the README writes it, without asking any registry
    await writeFile(
      join(bin, 'npx'),
      '#!/bin/sh\nif [ "$1" = oauth-handoff ]; then shift; exec oauth-handoff "$@"; fi\necho "npx: only oauth-handoff is available in the docs test" >&2\nexit 127\n',
      { mode: 0o755 },
    );
    const scriptFile = join(base, 'doc.sh');
    await writeFile(scriptFile, script(blocks, sandboxes));
    const reader = (h: string): NodeJS.ProcessEnv => ({
      PATH: [bin, dirname(process.execPath), process.env.PATH ?? '/usr/bin:/bin'].join(':'),
      HOME: h,
      XDG_CONFIG_HOME: join(h, '.config'),
      LANG: 'C.UTF-8',
      NO_COLOR: '1',
      NO_PROXY: '127.0.0.1,localhost',
      TMPDIR: tmpdir(),
      ...opts.env,
    });
    const env = reader(home);
    // no DISPLAY: relay prints the URL instead of opening a browser, and the stand-in opens it
    const laptopEnv = reader(laptopHome);
    return await new Promise<DocRunResult>((resolve, reject) => {
      // a new session: no controlling terminal, so a prompt fails instead of waiting on the developer's terminal
      const child = spawn('bash', [scriptFile], { cwd: work, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
      let stdout = '';
      let stderr = '';
      let laptop = '';
      let timedOut = false;
      let approvalFailed = false;
      /** the block running now (from the markers the script prints on stderr) */
      let current: CodeBlock | undefined;
      const approvals: string[] = [];
      const opened = new Set<string>();
      const relayed = new Set<string>();
      /** the laptop's processes (relay), each its own process group */
      const laptopPids = new Set<number>();
      const origins = new Map([...sandboxes.values()].map((d) => [new URL(d.sandbox.url).origin, d]));
      const killGroup = (pid: number | undefined) => {
        if (pid === undefined) return;
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      };
      const paste = (line: string) => {
        if (!child.stdin.destroyed) child.stdin.write(`${line}\n`);
      };
      /** a person would see an error page and give up: stop the run at once instead of waiting for time-outs */
      const giveUp = (why: string) => {
        approvals.push(why);
        approvalFailed = true;
        for (const pid of laptopPids) killGroup(pid);
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      };
      /**
       * Open an authorization URL as a browser would. `onLaptop`: the URL relay
       * printed, whose redirect must reach relay's listener on this machine.
       */
      const approve = async (url: string, onLaptop: boolean): Promise<void> => {
        try {
          const r = await fetch(url, { redirect: 'manual' });
          const location = r.headers.get('location');
          await r.arrayBuffer();
          if (!location) return giveUp(`${url}: the sandbox answered ${r.status} without a redirect (an error page)`);
          const landed = new URL(location, url);
          if (origins.has(landed.origin)) {
            if (onLaptop) return giveUp(`${landed.href}: relay's URL led to a page on the provider, not to relay`);
            // an out-of-band page on the provider: the person copies the code it shows
            const html = await (await fetch(landed)).text();
            const code = /<code id="authorization_code">([^<]+)<\/code>/.exec(html)?.[1] ?? landed.searchParams.get('code');
            if (!code) return giveUp(`${landed.href}: no code on the page`);
            approvals.push('pasted the code from the out-of-band page');
            return paste(code.replace(/&amp;/g, '&'));
          }
          try {
            await (await fetch(landed)).arrayBuffer();
            approvals.push(`the browser reached ${landed.origin}${landed.pathname}`);
          } catch {
            // nothing listens there (login --paste): the person copies the address bar
            if (onLaptop) return giveUp(`${landed.origin}${landed.pathname}: nothing listens there on the laptop (relay should)`);
            approvals.push(`pasted the address ${landed.origin}${landed.pathname}?…`);
            paste(landed.href);
          }
        } catch (e) {
          giveUp(`${url}: ${(e as Error).message}`);
        }
      };
      /** An authorization URL of a sandbox on a line of its own, if `line` is one. */
      const authorizationUrl = (line: string): string | undefined => {
        if (!/^https?:\/\/\S+$/.test(line)) return undefined;
        let u: URL;
        try {
          u = new URL(line);
        } catch {
          return undefined;
        }
        return origins.has(u.origin) && u.searchParams.get('response_type') === 'code' ? line : undefined;
      };
      /** Lines of a stream, as they complete. */
      const lines = (stream: NodeJS.ReadableStream, each: (line: string) => void, all: (d: string) => void) => {
        let pending = '';
        stream.setEncoding('utf8');
        stream.on('data', (d: string) => {
          all(d);
          pending += d;
          const done = pending.split('\n');
          pending = done.pop() ?? '';
          for (const raw of done) each(raw.trim());
        });
      };
      /**
       * person=relay: the person runs the printed line on the laptop as it is
       * (a shell there), opens the URL relay prints, and pastes the one line
       * relay prints at the waiting command.
       */
      const runRelay = (line: string) => {
        const relay = spawn('bash', ['-c', line], { cwd: laptopHome, env: laptopEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
        if (relay.pid !== undefined) laptopPids.add(relay.pid);
        approvals.push(`ran on the laptop: ${line.slice(0, 40)}…`);
        let out = '';
        const seen = new Set<string>();
        relay.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
        lines(
          relay.stderr,
          (l) => {
            const url = authorizationUrl(l);
            if (url === undefined || seen.has(url)) return;
            seen.add(url);
            void approve(url, true);
          },
          (d) => (laptop += d),
        );
        relay.on('error', (e) => giveUp(`the laptop could not run the relay line: ${e.message}`));
        relay.on('close', (code) => {
          if (relay.pid !== undefined) laptopPids.delete(relay.pid);
          const printed = out.split('\n').filter((l) => l.trim() !== '');
          if (code !== 0) return giveUp(`the relay line exited ${code}`);
          if (printed.length !== 1) return giveUp(`relay printed ${printed.length} lines on stdout, not one`);
          approvals.push('pasted the line relay printed');
          paste(printed[0] as string);
        });
      };
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      lines(
        child.stderr,
        (line) => {
          const mark = /^::docs-block (\d+|end)::$/.exec(line);
          if (mark) {
            current = mark[1] === 'end' ? undefined : blocks[Number(mark[1])];
            return;
          }
          if (current?.person === 'relay') {
            // the person does not open this URL: the laptop's relay does
            if (/^oauth-handoff relay '[^']+'$/.test(line) && !relayed.has(line)) {
              relayed.add(line);
              runRelay(line);
            }
            return;
          }
          const url = authorizationUrl(line);
          if (url === undefined || opened.has(url)) return;
          opened.add(url);
          void approve(url, false);
        },
        (d) => (stderr += d),
      );
      child.stdin.on('error', () => undefined);
      const timer = setTimeout(() => {
        timedOut = true;
        for (const pid of laptopPids) killGroup(pid);
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }, opts.timeoutMs ?? 90_000);
      child.on('error', (e) => {
        clearTimeout(timer);
        for (const pid of laptopPids) killGroup(pid);
        reject(e);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        // anything the script (or the laptop) left running in the background goes too
        killGroup(child.pid);
        for (const pid of laptopPids) killGroup(pid);
        const marks = [...stderr.matchAll(/::docs-block (\d+|end)::/g)].map((m) => m[1]);
        const last = marks.at(-1);
        const ok = code === 0 && !timedOut && !approvalFailed && last === 'end';
        const result: DocRunResult = { ok, code, timedOut, stdout, stderr, laptop, approvals, durationMs: Date.now() - started };
        if (!ok && last !== undefined && last !== 'end') result.failedBlock = blocks[Number(last)];
        resolve(result);
      });
    });
  } finally {
    await Promise.all([...sandboxes.values()].map((d) => d.sandbox.close()));
    await rm(base, { recursive: true, force: true });
  }
}

/** The output of the failed block (from its marker on), for the failure message. */
export function failureReport(r: DocRunResult): string {
  const from = (text: string) => {
    const i = r.failedBlock ? text.lastIndexOf(MARK) : -1;
    const part = i >= 0 ? text.slice(text.indexOf('\n', i) + 1) : text;
    return part.length > 4000 ? `…${part.slice(-4000)}` : part;
  };
  const where = r.failedBlock ? `${r.failedBlock.file}:${r.failedBlock.line}` : 'before the first block';
  return [
    `${where}: ${r.timedOut ? 'timed out' : `exit ${r.code}`}`,
    r.failedBlock ? `block:\n${r.failedBlock.code}` : '',
    r.approvals.length ? `browser stand-in: ${r.approvals.join('; ')}` : '',
    r.laptop ? `the laptop's relay (stderr):\n${r.laptop.length > 4000 ? `…${r.laptop.slice(-4000)}` : r.laptop}` : '',
    `stdout:\n${from(r.stdout)}`,
    `stderr:\n${from(r.stderr)}`,
  ]
    .filter((s) => s !== '')
    .join('\n');
}
