/**
 * `oauth-handoff demo`: the whole hand-off on one machine, with no account
 * anywhere. A sandbox authorization server stands in for the provider; a
 * throw-away store stands in for the headless machine; an HTTP request that
 * follows the sandbox's automatic approval stands in for the browser.
 *
 * It lives outside browser-side and headless-side because it uses both of
 * their public faces, and those two never import each other.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { resolveRecipients } from './authorization/index.js';
import { authorizeWithPlan, planAuthorization } from './browser-side/index.js';
import type { AuthorizeOptions, BrowserOpener } from './browser-side/index.js';
import { CODES, HandoffError } from './errors.js';
import { message } from './i18n/index.js';
import type { MessageKey } from './i18n/index.js';
import { importCommand, keygenCommand, refreshCommand, statusCommand, tokenCommand } from './headless-side/index.js';
import { startSandbox } from './sandbox/index.js';
import type { Sandbox } from './sandbox/index.js';
import { writeFileAtomic } from './settings-file/index.js';
import { createOutput } from './terminal/index.js';
import type { Output } from './terminal/index.js';

export interface DemoOptions {
  /** which sandbox the hand-off runs against (default redmine) */
  profile?: string;
  /** where the narrative goes (default stdout: the narrative is what the demo produces) */
  stdout?: Writable;
  env?: NodeJS.ProcessEnv;
}

/**
 * One demo per kind of system: which sandbox, what the laptop's command is, and
 * the narration lines that differ (their words are in the catalog, src/i18n).
 */
interface Scenario {
  profile: 'redmine' | 'oauth21';
  titles: { start: MessageKey; startWhy: MessageKey; authorizeWhy: MessageKey; refreshWhy: MessageKey; next: MessageKey };
  /** the command a person would type on the laptop, for the narration */
  command(sandbox: Sandbox, keyStart: string): string;
  /** the authorize options that command stands for */
  plan(sandbox: Sandbox, env: NodeJS.ProcessEnv): AuthorizeOptions;
}

const SCENARIOS: Readonly<Record<Scenario['profile'], Scenario>> = {
  redmine: {
    profile: 'redmine',
    titles: { start: 'demo.1.title', startWhy: 'demo.1.why', authorizeWhy: 'demo.3.why', refreshWhy: 'demo.6.why', next: 'demo.next' },
    command: (s, key) => `oauth-handoff authorize --provider redmine --site ${s.url} --client-id ${s.client.id} --to ${key}… -o demo.ohs`,
    plan: (s, env) => ({
      provider: 'redmine',
      site: s.url,
      clientId: s.client.id,
      name: DEMO_NAME,
      timeout: 20,
      env: { ...env, OAUTH_HANDOFF_CLIENT_SECRET: s.client.secret ?? '' },
    }),
  },
  oauth21: {
    profile: 'oauth21',
    titles: {
      start: 'demo.oauth21.1.title',
      startWhy: 'demo.oauth21.1.why',
      authorizeWhy: 'demo.oauth21.3.why',
      refreshWhy: 'demo.oauth21.6.why',
      next: 'demo.oauth21.next',
    },
    command: (s, key) => `oauth-handoff authorize --resource ${s.endpoints.resource} --to ${key}… -o demo.ohs`,
    plan: (s, env) => ({ resource: s.endpoints.resource!, name: DEMO_NAME, timeout: 20, env }),
  },
};

/** The profiles `demo --profile` offers. */
export const DEMO_PROFILES = Object.keys(SCENARIOS) as readonly Scenario['profile'][];

/** The name the demo credential gets. */
export const DEMO_NAME = 'demo';
/** Characters of a token the demo shows. */
export const SHOWN_TOKEN_CHARS = 6;

/** An Output that keeps machine output (data, json) instead of printing it. */
function capturing(base: Output): Output & { taken: () => string; json_: () => unknown } {
  let data = '';
  let json: unknown;
  return {
    ...base,
    data: (text) => void (data += text),
    json: (value) => void (json = value),
    taken: () => data,
    json_: () => json,
  };
}

/** Indent everything a command prints, so the narrative stays readable. */
function indented(stream: Writable, env: NodeJS.ProcessEnv): Output {
  const pad = (text: string) => text.replace(/^(?=.)/gm, '     ');
  const sink = {
    write(chunk: string | Uint8Array): boolean {
      return stream.write(pad(typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk)));
    },
  } as unknown as Writable;
  return createOutput({ stdout: sink, stderr: sink, env: { ...env, NO_COLOR: '1' } });
}

export const redactToken = (token: string): string => `${token.slice(0, SHOWN_TOKEN_CHARS)}…`;

/** Keep the demo's requests to 127.0.0.1 away from any configured proxy; returns the restore step. */
function bypassProxy(env: NodeJS.ProcessEnv): () => void {
  const keys = ['NO_PROXY', 'no_proxy'] as const;
  const saved = keys.map((k) => env[k]);
  for (const k of keys) env[k] = [env[k], '127.0.0.1', 'localhost'].filter(Boolean).join(',');
  return () =>
    keys.forEach((k, i) => {
      if (saved[i] === undefined) delete env[k];
      else env[k] = saved[i];
    });
}

/** `oauth-handoff demo` */
export async function demoCommand(o: DemoOptions = {}): Promise<number> {
  const stream = o.stdout ?? process.stdout;
  const env = o.env ?? process.env;
  const wanted = o.profile ?? 'redmine';
  if (!(DEMO_PROFILES as readonly string[]).includes(wanted)) {
    throw new HandoffError(message('demo.profile.invalid', { value: wanted }), { code: CODES.USAGE });
  }
  const scenario = SCENARIOS[wanted as Scenario['profile']];
  const say = (text: string) => void stream.write(`${text}\n`);
  const cmdOut = indented(stream, env);
  const tr = cmdOut.i18n;
  const step = (n: number, title: string, why: string) => {
    say('');
    say(tr.t('demo.step', { n, title }));
    say(`   ${why}`);
  };
  const started = Date.now();
  const restoreProxy = bypassProxy(process.env);

  let sandbox: Sandbox | undefined;
  let base: string | undefined;
  try {
    say(tr.t('demo.intro'));

    step(1, tr.render(scenario.titles.start), tr.render(scenario.titles.startWhy));
    sandbox = await startSandbox({ profile: scenario.profile, autoApprove: true });
    say(`   → ${sandbox.url}`);

    base = await mkdtemp(join(tmpdir(), 'oauth-handoff-demo-'));
    const server = { store: join(base, 'server-store'), env };
    step(2, tr.t('demo.2.title'), tr.t('demo.2.why'));
    const kg = capturing(cmdOut);
    await keygenCommand({ ...server, json: true, out: kg });
    const publicKey = (kg.json_() as { public_key: string }).public_key;
    say(`   → ${publicKey}`);

    step(3, tr.t('demo.3.title', { command: scenario.command(sandbox, publicKey.slice(0, 12)) }), tr.render(scenario.titles.authorizeWhy));
    const recipients = await resolveRecipients({ to: [publicKey] }, cmdOut, { question: cmdOut.t('browser.seal.passphrase_question'), none: message('browser.seal.no_recipient') });
    const plan = await planAuthorization(scenario.plan(sandbox, env), cmdOut);
    const browser: BrowserOpener = async (url) => {
      // what a browser does: GET the approval page, follow its redirect to the loopback listener
      const res = await fetch(url);
      await res.arrayBuffer();
      if (!res.ok) throw new HandoffError(message('playground.demo_http_status', { status: res.status }), { code: CODES.INTERNAL });
    };
    const outcome = await authorizeWithPlan(plan, recipients, { openBrowser: browser, env, stdin: emptyStdin() }, cmdOut);
    const file = join(base, 'demo.ohs');
    await writeFileAtomic(file, outcome.sealed, { mode: 0o600 });
    say(`   → ${tr.t('demo.3.wrote', { bytes: outcome.sealed.length })}`);

    step(4, tr.t('demo.4.title'), tr.t('demo.4.why'));
    await importCommand({ ...server, file, out: cmdOut });

    step(5, tr.t('demo.5.title', { name: DEMO_NAME }), tr.t('demo.5.why'));
    const first = await takeToken(server, cmdOut);
    say(`   → ${tr.t('demo.5.result', { token: redactToken(first), status: await apiStatus(sandbox, first) })}`);

    step(6, tr.t('demo.6.title', { name: DEMO_NAME }), tr.render(scenario.titles.refreshWhy));
    const rf = capturing(cmdOut);
    await refreshCommand({ ...server, name: DEMO_NAME, json: true, out: rf });
    const second = await takeToken(server, cmdOut);
    const rotated = (rf.json_() as { rotated?: boolean } | undefined)?.rotated === true;
    say(`   → ${tr.t(rotated ? 'demo.6.result_rotated' : 'demo.6.result', { token: redactToken(second), status: await apiStatus(sandbox, second) })}`);

    step(7, tr.t('demo.7.title'), tr.t('demo.7.why'));
    await statusCommand({ ...server, out: cmdOut });

    say('');
    say(tr.t('demo.done', { seconds: ((Date.now() - started) / 1000).toFixed(1) }));
    say(tr.render(scenario.titles.next));
    return 0;
  } finally {
    restoreProxy();
    await sandbox?.close();
    if (base) await rm(base, { recursive: true, force: true });
  }
}

async function takeToken(server: { store: string; env: NodeJS.ProcessEnv }, out: Output): Promise<string> {
  const cap = capturing(out);
  await tokenCommand({ ...server, name: DEMO_NAME, out: cap });
  const token = cap.taken().trim();
  if (!token) throw new HandoffError(message('playground.demo_no_token'), { code: CODES.INTERNAL });
  return token;
}

async function apiStatus(sandbox: Sandbox, token: string): Promise<number> {
  // the docs' example call: Redmine's /issues.json, the oauth21 protected resource
  const res = await fetch(sandbox.endpoints.example, { headers: { authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return res.status;
}

/** The demo never reads a paste: a stream that is not a TTY and never yields. */
function emptyStdin(): NodeJS.ReadableStream & { isTTY?: boolean } {
  return { isTTY: false } as unknown as NodeJS.ReadableStream & { isTTY?: boolean };
}
