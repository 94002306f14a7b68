import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SystemdNotifier, statusLine } from '../../../src/headless-side/daemon/systemd.js';
import { newEntry } from '../../../src/headless-side/daemon/record.js';
import { ROOT, tempDir, trackChildren } from '../../helpers/cli.js';
import { FAST, fixture, spawnDaemon, stopDaemon } from './helpers.js';

/**
 * A real listener on a Unix datagram socket, the way systemd listens on
 * NOTIFY_SOCKET. Node has no Unix datagram sockets, so the listener is a few
 * lines of Python (python3 is on every systemd distribution).
 */
const LISTENER = `
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print(json.dumps("LISTENING"), flush=True)
while True:
    print(json.dumps(s.recv(65536).decode("utf-8", "replace")), flush=True)
`;

async function notifyListener(t: Parameters<typeof fixture>[0], dir: string) {
  const path = join(dir, 'notify.sock');
  const child = trackChildren(t)(spawn('python3', ['-c', LISTENER, path], { stdio: ['ignore', 'pipe', 'inherit'] }));
  const datagrams: string[] = [];
  let buf = '';
  let listening!: () => void;
  const up = new Promise<void>((r) => (listening = r));
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    buf += d;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const msg = JSON.parse(buf.slice(0, i)) as string;
      buf = buf.slice(i + 1);
      if (msg === 'LISTENING') listening();
      else datagrams.push(msg);
    }
  });
  await Promise.race([up, new Promise((_, reject) => setTimeout(() => reject(new Error('the notify listener did not start')), 10_000))]);
  const waitFor = async (pred: (m: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const m = datagrams.find(pred);
      if (m !== undefined) return m;
      if (Date.now() > until) throw new Error(`no datagram with ${what}; got ${JSON.stringify(datagrams)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { path, datagrams, waitFor };
}

test('STATUS= says how many credentials are in which state, and when the next refresh comes', (t) => {
  const a = { ...newEntry('a'), loaded: true, status: 'scheduled' as const, dueAt: 1_000_000 + 240_000 };
  const b = { ...newEntry('b'), loaded: true, status: 'scheduled' as const };
  const c = { ...newEntry('c'), loaded: true, status: 'reauthorization_required' as const };
  t.is(statusLine([a, b, c], 1_000_000), '3 credential(s): 2 scheduled, 1 reauthorization required; next refresh in 4 min');
  t.is(statusLine([], 0), '0 credential(s)');
});

test('the watchdog interval is half of WATCHDOG_USEC, and only for the process it is meant for', (t) => {
  t.is(SystemdNotifier.watchdogIntervalMs({ WATCHDOG_USEC: '30000000' }, 42), 15_000);
  t.is(SystemdNotifier.watchdogIntervalMs({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '42' }, 42), 15_000);
  t.is(SystemdNotifier.watchdogIntervalMs({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '43' }, 42), undefined);
  t.is(SystemdNotifier.watchdogIntervalMs({}, 42), undefined);
  t.is(SystemdNotifier.watchdogIntervalMs({ WATCHDOG_USEC: 'x' }, 42), undefined);
});

test('Type=notify: READY=1 (with STATUS= and MAINPID=) arrives on NOTIFY_SOCKET once every credential is planned, then WATCHDOG=1 pings, then STOPPING=1', async (t) => {
  const f = await fixture(t, ['svc', 'other'], { accessTokenTtl: 3600 });
  const l = await notifyListener(t, f.base);
  const d = spawnDaemon(t, ['--all', ...FAST], { ...f.env, NOTIFY_SOCKET: l.path, WATCHDOG_USEC: '400000' });
  const readyEvent = await d.waitFor((e) => e.event === 'ready', 15_000, 'ready');
  const ready = await l.waitFor((m) => m.split('\n').includes('READY=1'), 'READY=1');
  const fields = ready.split('\n');
  t.true(fields.includes(`MAINPID=${d.child.pid}`), ready);
  t.true(fields.includes('STATUS=2 credential(s): 2 scheduled; next refresh in 45 min') || fields.some((x) => /^STATUS=2 credential\(s\): 2 scheduled; next refresh in \d+ min$/.test(x)), ready);
  t.is(readyEvent.credentials, 2);
  await l.waitFor((m) => m.split('\n').includes('WATCHDOG=1'), 'WATCHDOG=1');
  const before = l.datagrams.filter((m) => m.split('\n').includes('WATCHDOG=1')).length;
  await new Promise((r) => setTimeout(r, 1500));
  t.true(l.datagrams.filter((m) => m.split('\n').includes('WATCHDOG=1')).length > before, 'the pings go on');
  t.is((await stopDaemon(d)).code, 0);
  await l.waitFor((m) => m.split('\n').includes('STOPPING=1'), 'STOPPING=1', 5000);
  t.is(d.events.filter((e) => e.event === 'notify_failed').length, 0);
});

test('the unit in docs/operations-systemd.md passes systemd-analyze verify', async (t) => {
  // a real check or a failure: `npm test` installs systemd (scripts/test-deps.mjs), as CI does
  t.is(spawnSync('systemd-analyze', ['--version']).status, 0, 'systemd-analyze is not installed: apt-get install systemd');
  const doc = await readFile(join(ROOT, 'docs/operations-systemd.md'), 'utf8');
  const unit = /```ini\n(\[Unit\][\s\S]*?)```/.exec(doc)?.[1];
  t.truthy(unit, 'the doc has the unit');
  t.regex(unit as string, /^Type=notify$/m);
  t.regex(unit as string, /^NotifyAccess=all$/m);
  t.regex(unit as string, /^WatchdogSec=/m);
  const dir = await tempDir(t, 'oh-unit-');
  // the ExecStart= binary must exist for verify: point it at a real file, the rest is verified as written
  const bin = join(dir, 'oauth-handoff');
  await writeFile(bin, '#!/bin/sh\n', { mode: 0o755 });
  await access(bin);
  const path = join(dir, 'oauth-handoff.service');
  await writeFile(path, (unit as string).replace(/^ExecStart=\S+/m, `ExecStart=${bin}`));
  const r = spawnSync('systemd-analyze', ['verify', path], { encoding: 'utf8', timeout: 30_000 });
  // verify also reports on units outside ours (the machine's own) and on a missing User= account; only ours matters here
  const ours = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.includes('oauth-handoff.service') && !/User=|Group=|getpwnam|No such process|Failed to look up/.test(l));
  t.deepEqual(ours, [], `${r.stdout}${r.stderr}`);
});
