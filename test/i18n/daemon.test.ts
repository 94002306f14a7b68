/**
 * The daemon under LANG=ja_JP.UTF-8: its human (text) log lines are Japanese,
 * its JSON log lines are the very same English keys and messages as under LANG=C.
 */
import test from 'ava';
import { FAST, fixture, spawnDaemon, stopDaemon } from '../headless-side/daemon/helpers.js';
import type { DaemonEventLine } from '../headless-side/daemon/helpers.js';

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

/** A JSON line with what varies from run to run (times, pids, durations) made equal. */
const shape = (e: DaemonEventLine) => ({
  event: e.event,
  level: e.level,
  keys: Object.keys(e).sort(),
  message: e.message.replace(/\d+/g, 'N'),
});

test('daemon --log-format text speaks Japanese under LANG=ja_JP.UTF-8', async (t) => {
  const f = await fixture(t, ['api']);
  const d = spawnDaemon(t, ['api', ...FAST, '--log-format', 'text'], { ...f.env, LANG: 'ja_JP.UTF-8' });
  await d.waitFor((e) => /認証情報 1 件、うち 1 件の更新を予定しました/.test(e.message), 20_000, 'the Japanese ready line');
  t.is((await stopDaemon(d)).code, 0);
  const lines = d.events.map((e) => e.message);
  t.log(lines.join('\n'));
  t.true(lines.every((l) => l.trim() === '' || /^ {17}/.test(l) || /^\d\d:\d\d:\d\d (info|warning|error|debug) /.test(l)), 'every line is a text log line');
  t.true(lines.some((l) => /api を最新に保ちます。ストア: ファイルストア /.test(l)), 'started: the names and the store label in Japanese');
  t.true(lines.some((l) => /最初の更新は \d+ (分|時間 \d+ 分)後です$/.test(l)), 'ready: a Japanese duration');
  t.true(lines.some((l) => /停止しました$/.test(l)), 'stopped');
  for (const l of lines) t.regex(l, JAPANESE, `a Japanese line: ${l}`);
  t.notRegex(lines.join('\n'), /keeping|credential\(s\)|stopping|stopped|fresh/, 'no English sentence is left');
});

test('daemon --log-format json keeps the same English keys and messages under LANG=ja_JP.UTF-8 as under LANG=C', async (t) => {
  const f = await fixture(t, ['api', 'mail']);
  const run = async (lang: string): Promise<DaemonEventLine[]> => {
    const d = spawnDaemon(t, ['--all', ...FAST, '--log-format', 'json'], { ...f.env, LANG: lang });
    await d.waitFor((e) => e.event === 'ready', 20_000, `ready under LANG=${lang}`);
    t.is((await stopDaemon(d)).code, 0);
    t.false(d.events.some((e) => e.event === 'raw'), 'every line is JSON');
    return d.events;
  };
  const c = await run('C');
  const ja = await run('ja_JP.UTF-8');
  t.deepEqual(ja.map(shape), c.map(shape));
  t.deepEqual(
    ja.map((e) => e.event),
    ['started', 'ready', 'stopping', 'stopped'],
  );
  t.regex(ja[0]?.message as string, /^keeping every credential fresh in the file store /);
  t.notRegex(JSON.stringify(ja), JAPANESE);
});
