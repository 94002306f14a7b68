/**
 * `login --paste` used by a person at a terminal: the CLI runs in a real tmux
 * pane (a private tmux server, 200×50), keys are typed with send-keys and the
 * screen is read with capture-pane. The person types the client secret at the
 * hidden prompt, sees the URL, the QR code and the prompt, pastes something
 * wrong (the request URL, then another run's answer), is asked again, then pastes the address the browser landed on.
 * And the README's relay recipe on two plain 80x24 terminals: the server's
 * (`ssh -t server`) and a shell on the laptop.
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { mkdir, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { startSandbox } from '../../src/sandbox/index.js';
import { BIN } from '../helpers/cli.js';
import { tmux } from '../helpers/tmux.js';
import { decideByHttp, loginOnSmallScreen, machine, storedNames, tokenOf, unwrapScreen } from './helpers.js';


test('at a terminal: the secret is asked without echo, the URL, QR code and prompt are shown, a wrong paste is asked again, the landed URL logs in', async (t) => {
  const sb = await startSandbox({ profile: 'redmine' });
  t.teardown(() => sb.close());
  const m = await machine(t);
  const args = ['login', '--paste', '--provider', 'redmine', '--site', sb.url, '--client-id', sb.client.id, '--redirect', 'loopback', '--name', 'at-the-desk'];
  // the pane keeps showing what happened after login exits
  const command = `${process.execPath} ${BIN} ${args.join(' ')}; echo "[login exited $?]"; sleep 600`;
  const pane = await tmux(t, m.base, m.env, command);

  await pane.waitFor(/client secret for sandbox-client: $/m);
  await pane.type(sb.client.secret as string);
  await pane.keys('Enter');

  const shown = await pane.waitFor(/the address the browser landed on: $/m);
  t.false(shown.includes(sb.client.secret as string), 'the secret was not echoed');
  const url = /^(http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?\S+)$/m.exec(shown)?.[1];
  t.truthy(url, `the URL is on screen:\n${shown}`);
  t.regex(shown, /open this URL in a browser on any device \(or scan the QR code\)/);
  t.regex(shown, /^[█▀▄ ]{40,}$/m, 'a QR code is drawn');
  t.regex(shown, /^ {4}oauth-handoff relay 'http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?/m);
  t.regex(shown, /shows a connection error there: that is expected\. Copy the whole address from the address bar and paste it here\./);

  // a slip: the request URL instead of where the browser landed
  await pane.type(url as string);
  await pane.keys('Enter');
  await pane.waitFor(/authorization request URL, not the redirect.*try again \(2 attempts left, until \d\d:\d\d\)/);
  await pane.waitFor(/the address the browser landed on: $/m);

  // another slip: the answer of another run (an older tab: its state differs) is asked again too
  const older = new URL(await decideByHttp(url as string));
  older.searchParams.set('state', 'from-an-older-run');
  await pane.type(older.href);
  await pane.keys('Enter');
  await pane.waitFor(/state in the response does not match this authorization request.*try again \(1 attempt left, until \d\d:\d\d\)/);
  await pane.waitFor(/the address the browser landed on: $/m);

  const landed = await decideByHttp(url as string);
  await pane.type(landed);
  await pane.keys('Enter');
  const end = await pane.waitFor(/\[login exited \d+\]/);
  t.regex(end, /\[login exited 0\]/, end);
  t.regex(end, /at-the-desk {2}\(redmine http:\/\/127\.0\.0\.1:\d+\)/);
  t.regex(end, /state: +ok/);
  t.deepEqual(await storedNames(m.home), ['at-the-desk']);
  t.true(sb.isAccessTokenValid((await tokenOf(m, 'at-the-desk')).stdout.trim()));
});

test('at a terminal: Ctrl-C at the prompt stops login with exit 130 and nothing stored', async (t) => {
  const sb = await startSandbox({ profile: 'redmine' });
  t.teardown(() => sb.close());
  const m = await machine(t, { OAUTH_HANDOFF_CLIENT_SECRET: sb.client.secret });
  const args = ['login', '--paste', '--provider', 'redmine', '--site', sb.url, '--client-id', sb.client.id, '--no-qr'];
  const pane = await tmux(t, m.base, m.env, `${process.execPath} ${BIN} ${args.join(' ')}; echo "[login exited $?]"; sleep 600`);
  const shown = await pane.waitFor(/authorization code \(or the page address\): $/m);
  t.regex(shown, /the page shows an authorization code: copy it and paste it here/);
  t.notRegex(shown, /█/, '--no-qr draws no QR code');
  await pane.keys('C-c');
  const end = await pane.waitFor(/\[login exited \d+\]/);
  t.regex(end, /\[login exited 130\]/, end);
  t.regex(end, /interrupted \(Ctrl\+C\); nothing was stored/);
  t.deepEqual(await storedNames(m.home), []);
});

for (const mode of ['oob', 'loopback'] as const) {
  test(`on a plain 80x24 terminal (${mode}): the whole URL, what to do and the prompt are on screen together; no QR code that does not fit`, async (t) => {
    const prompt = mode === 'oob' ? /authorization code \(or the page address\): $/m : /the address the browser landed on: $/m;
    const screen = await loginOnSmallScreen(t, { mode, prompt });
    const { joined, visible } = screen;
    t.regex(joined, /^oauth-handoff: open this URL in a browser on any device, sign in and approve:$/m, 'the first line speaks of any device');
    t.notRegex(joined, /scan the QR code/, 'no QR code was drawn, so none is mentioned');
    t.notRegex(visible, /[█▀▄]/, 'no QR code that would push the URL off the screen');
    t.regex(joined, /waiting up to 10 min \(until \d\d:\d\d\)/, 'the limit is said when the wait starts');
    if (mode === 'loopback') t.regex(joined, /^ {4}oauth-handoff relay 'http:/m, 'the relay line fits too');
    // and it still works from there: the code is pasted, login ends
    await screen.finish();
  });
}

/**
 * The laptop of the relay recipe: its own store, oauth-handoff on PATH, a
 * shell in an 80x24 terminal, no desktop session. `line` is typed there; the
 * URL relay shows is approved by a stand-in browser whose redirect reaches
 * relay; returns the one line relay printed, read off the laptop's screen.
 */
async function relayOnLaptop(t: ExecutionContext, line: string, authorizationUrl: string): Promise<string> {
  const laptop = await machine(t);
  const bin = join(laptop.base, 'bin');
  await mkdir(bin);
  await symlink(BIN, join(bin, 'oauth-handoff'));
  // HISTFILE empty: the shell writes no history into the directory the test removes
  const shellEnv = { ...laptop.env, PATH: [bin, dirname(process.execPath), laptop.env.PATH].join(':'), HISTFILE: '' };
  const shell = await tmux(t, laptop.base, shellEnv, 'bash --norc --noprofile', { x: 80, y: 24 });
  await shell.waitFor(/^bash-[\d.]+[$#] $/m);
  await shell.type(line);
  await shell.keys('Enter');
  const waiting = unwrapScreen(await shell.waitFor(/listening on http:\/\/127\.0\.0\.1:\d+\/callback/));
  const url = /^(http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?\S+)$/m.exec(waiting)?.[1];
  t.is(url, authorizationUrl, `relay shows the URL login made:\n${waiting}`);

  // the laptop's browser: approve; the redirect reaches relay there
  const landed = await decideByHttp(url as string);
  t.is((await fetch(landed)).status, 200, 'relay answered the browser');
  await shell.waitFor(/paste the line printed above/);
  const laptopScreen = await shell.visible();
  t.log(`the laptop's screen:\n${laptopScreen}`);
  const printed = /^(http:\/\/127\.0\.0\.1:\d+\/callback\?\S+)$/m.exec(unwrapScreen(laptopScreen))?.[1];
  t.truthy(printed, `relay's one line is on the laptop's screen:\n${laptopScreen}`);
  t.is(printed, landed, 'relay printed the address the browser was sent to');
  t.deepEqual(await storedNames(laptop.home), [], 'the laptop stored nothing');
  return printed as string;
}

test('the relay recipe on plain 80x24 terminals: the relay line read off the server screen runs in a laptop shell, and the one line relay prints, typed at the server prompt, logs in', async (t) => {
  const sb = await startSandbox({ profile: 'redmine' });
  t.teardown(() => sb.close());
  const server = await machine(t, { OAUTH_HANDOFF_CLIENT_SECRET: sb.client.secret });
  const args = ['login', '--paste', '--redirect', 'loopback', '--provider', 'redmine', '--site', sb.url, '--client-id', sb.client.id, '--name', 'relayed'];
  const pane = await tmux(t, server.base, server.env, `${process.execPath} ${BIN} ${args.join(' ')}; echo "[login exited $?]"; sleep 600`, { x: 80, y: 24 });
  await pane.waitFor(/the address the browser landed on: $/m);
  const visible = await pane.visible();
  t.log(`the server's screen:\n${visible}`);
  const serverScreen = unwrapScreen(visible);
  const line = /^ {4}(oauth-handoff relay '([^']+)')$/m.exec(serverScreen);
  t.truthy(line, `the relay line is on the server's screen with the prompt:\n${serverScreen}`);

  const printed = await relayOnLaptop(t, line?.[1] as string, line?.[2] as string);
  // the person types it at the server's prompt
  await pane.type(printed);
  await pane.keys('Enter');
  const end = await pane.waitFor(/\[login exited \d+\]/);
  t.regex(end, /\[login exited 0\]/, end);
  t.deepEqual(await storedNames(server.home), ['relayed']);
  t.true(sb.isAccessTokenValid((await tokenOf(server, 'relayed')).stdout.trim()));
});

test('the relay recipe on an 80x24 screen too small for the relay line: its short form is shown, and the URL above put into it works the same', async (t) => {
  // a long client id makes a URL of about 480 characters: the relay line would push it off the screen
  const client = { id: `long-${'c'.repeat(190)}`, secret: 'long-client-secret', redirectUris: ['http://127.0.0.1/callback'], name: 'long' };
  const sb = await startSandbox({ profile: 'redmine', clients: [client] });
  t.teardown(() => sb.close());
  const server = await machine(t, { OAUTH_HANDOFF_CLIENT_SECRET: client.secret });
  const args = ['login', '--paste', '--redirect', 'loopback', '--provider', 'redmine', '--site', sb.url, '--client-id', client.id, '--name', 'relayed'];
  const pane = await tmux(t, server.base, server.env, `${process.execPath} ${BIN} ${args.join(' ')}; echo "[login exited $?]"; sleep 600`, { x: 80, y: 24 });
  await pane.waitFor(/the address the browser landed on: $/m);
  const visible = await pane.visible();
  t.log(`the server's screen:\n${visible}`);
  const serverScreen = unwrapScreen(visible);
  const url = /^(http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?\S+)$/m.exec(serverScreen)?.[1];
  t.regex(url ?? '', /code_challenge_method=S256$/, `the whole URL is on screen:\n${visible}`);
  t.notRegex(serverScreen, /^ {4}oauth-handoff relay '/m, 'the relay line does not fit');
  t.regex(serverScreen, /^oauth-handoff: or, on a laptop with oauth-handoff, run oauth-handoff relay '<the URL above>' and paste here the line it prints$/m);

  const printed = await relayOnLaptop(t, `oauth-handoff relay '${url as string}'`, url as string);
  await pane.type(printed);
  await pane.keys('Enter');
  const end = await pane.waitFor(/\[login exited \d+\]/);
  t.regex(end, /\[login exited 0\]/, end);
  t.deepEqual(await storedNames(server.home), ['relayed']);
});

test('at 80x24 the paste prompt counts down: the time left is redrawn every second, and a long paste that wraps stays whole', async (t) => {
  const prompt = /\((\d+):(\d\d) left\) the address the browser landed on: $/m;
  const screen = await loginOnSmallScreen(t, { mode: 'loopback', prompt });
  const seconds = (text: string) => {
    const m = prompt.exec(text.replace(/\n+$/, '').split('\n').pop() as string + ' ');
    return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  };
  const first = seconds(screen.visible);
  t.true(first > 590 && first <= 600, `the wait starts at 10 min: ${first}`);
  // half a paste (no Enter yet): long enough to wrap on 80 columns
  const typed = `${screen.url.replace('/oauth/authorize', '/callback').slice(0, 150)}`;
  await screen.pane.type(typed);
  const later = await screen.pane.waitFor(/\((\d+):(\d\d) left\) the address the browser landed on: /m);
  // wait until the time shown has gone down by at least two seconds (bounded by waitFor's limit)
  const until = Date.now() + 10_000;
  let now = later;
  while (Date.now() < until) {
    now = await screen.pane.visible();
    const m = /\((\d+):(\d\d) left\)/.exec(now);
    if (m && Number(m[1]) * 60 + Number(m[2]) <= first - 2) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  t.log(`\n${now}`);
  const shown = /\((\d+):(\d\d) left\)/.exec(now);
  t.truthy(shown, now);
  t.true(Number(shown![1]) * 60 + Number(shown![2]) <= first - 2, 'the time left went down');
  const joined = unwrapScreen(now);
  t.is(joined.split(typed).length - 1, 1, 'what was typed is on screen once, whole, after the redraws');
  t.is((now.match(/left\) the address the browser landed on:/g) ?? []).length, 1, 'one prompt row, redrawn in place');
  await screen.pane.keys('C-u'); // the half paste is taken back, as a person would
  await screen.finish();
});
