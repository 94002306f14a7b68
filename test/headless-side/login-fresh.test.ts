/**
 * A rejected code (reused, expired, mistyped) at a terminal does not end
 * `login --paste`: it offers a fresh authorization — a new URL, the same
 * command — and says how long that system's codes live. Library calls
 * against a real sandbox; the "terminal" is the read callback.
 */
import test from 'ava';
import { Writable } from 'node:stream';
import { CODES } from '../../src/errors.js';
import type { HandoffError } from '../../src/errors.js';
import { chooseRedirect, pasteLogin, resolveLoginTarget } from '../../src/headless-side/index.js';
import { createHttpClient } from '../../src/oauth/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { createOutput } from '../../src/terminal/index.js';
import { decideByHttp } from './helpers.js';

function capture() {
  let text = '';
  const stderr = new Writable({ write: (c, _e, done) => ((text += String(c)), done()) });
  const stdout = new Writable({ write: (_c, _e, done) => done() });
  return { out: createOutput({ stderr, stdout, env: {} }), text: () => text };
}

const urls = (text: string) => [...text.matchAll(/^(http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?\S+)$/gm)].map((m) => m[1] as string);

test('a rejected code offers a fresh authorization with a new URL; the second one logs in', async (t) => {
  const sb = await startSandbox({ profile: 'redmine' });
  t.teardown(() => sb.close());
  const http = await createHttpClient();
  const c = capture();
  const target = await resolveLoginTarget({ provider: 'redmine', site: sb.url, clientId: sb.client.id, clientSecret: sb.client.secret as string }, { http: async () => http, out: c.out, env: {} });
  const questions: string[] = [];
  const answers = [
    async () => 'not-a-real-code', // rejected by the server: invalid_grant
    async () => '', // Enter: yes, start again
    async () => new URL(await decideByHttp(urls(c.text()).at(-1) as string)).searchParams.get('code') ?? '',
  ];
  const r = await pasteLogin(target, chooseRedirect({}, target.preset), {
    http,
    out: c.out,
    now: Date.now,
    read: async (question) => {
      questions.push(question);
      const next = answers.shift();
      if (!next) throw new Error('asked more than expected');
      return next();
    },
    interactive: true,
    qr: false,
    timeoutMs: 60_000,
  });
  t.true(sb.isAccessTokenValid(r.tokens.access_token));
  t.deepEqual(questions, ['authorization code (or the page address): ', 'start a fresh authorization (a new URL, nothing else changes)? [Y/n] ', 'authorization code (or the page address): ']);
  const shown = urls(c.text());
  t.is(shown.length, 2, 'a second URL was shown');
  t.not(new URL(shown[0] as string).searchParams.get('state'), new URL(shown[1] as string).searchParams.get('state'));
  t.regex(c.text(), /the authorization code was rejected/);
  t.regex(c.text(), /Redmine authorization codes live 600 s after the approval/);
});

test('answering no, or without a terminal, a rejected code still ends the login (exit 3)', async (t) => {
  const sb = await startSandbox({ profile: 'redmine' });
  t.teardown(() => sb.close());
  const http = await createHttpClient();
  const c = capture();
  const target = await resolveLoginTarget({ provider: 'redmine', site: sb.url, clientId: sb.client.id, clientSecret: sb.client.secret as string }, { http: async () => http, out: c.out, env: {} });
  for (const interactive of [true, false]) {
    const answers = ['bogus', 'n'];
    const e = await t.throwsAsync(
      pasteLogin(target, chooseRedirect({}, target.preset), { http, out: c.out, now: Date.now, read: async () => answers.shift() ?? 'x', interactive, qr: false, timeoutMs: 60_000 }),
    );
    t.is((e as HandoffError).code, CODES.REAUTH_REQUIRED);
    t.is((e as HandoffError).exitCode, 3);
  }
});
