/**
 * The docs cannot rot: every block marked runnable (```sh runnable) in
 * README.md and docs/**\/*.md is run, in order, against a sandbox, by the
 * built CLI. See test/docs/README.md for the convention and the placeholders.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { ROOT } from '../helpers/cli.js';
import { blocksOf, BlockError, commandsOf, docFiles, extractBlocks } from './blocks.js';
import type { CodeBlock } from './blocks.js';
import { failureReport, runDocument } from './harness.js';

const files = await docFiles(ROOT);
const parsed = new Map<string, CodeBlock[] | Error>();
for (const f of files) {
  try {
    parsed.set(f, await blocksOf(ROOT, f));
  } catch (e) {
    parsed.set(f, e as Error);
  }
}
const runnable = (f: string): CodeBlock[] => {
  const b = parsed.get(f);
  return Array.isArray(b) ? b.filter((x) => x.runnable) : [];
};

test('every code fence in the docs parses, and no runnable marker is misspelt', (t) => {
  for (const [f, b] of parsed) t.false(b instanceof Error, b instanceof Error ? b.message : f);
});

test('every provider guide, English and Japanese, has runnable blocks', (t) => {
  const guides = files.filter((f) => /^docs\/(ja\/)?providers\/[^/]+\.md$/.test(f));
  t.true(guides.length >= 10, `found ${guides.join(', ')}`);
  for (const g of guides) t.true(runnable(g).length > 0, `${g} has no runnable block`);
});

test('a Japanese document runs the same commands as its English original', (t) => {
  const ja = files.filter((x) => x.startsWith('docs/ja/'));
  t.true(ja.length > 0, 'there are Japanese documents');
  for (const f of ja) {
    const original = f === 'docs/ja/README.md' ? 'README.md' : f.replace(/^docs\/ja\//, 'docs/');
    if (!existsSync(join(ROOT, original))) continue;
    const key = (b: CodeBlock) => `[${b.profile} person=${b.person}]\n${commandsOf(b.code)}`;
    const mine = runnable(f).map(key);
    const theirs = runnable(original).map(key);
    t.deepEqual(mine, theirs, `${f} and ${original} must mark the same commands runnable (comments may differ)`);
  }
});

test('a runnable block whose command fails fails the run and is named', async (t) => {
  const blocks = extractBlocks(
    ['```sh runnable', 'oauth-handoff --version', '```', '', '```sh runnable sandbox=redmine', 'oauth-handoff token nothing-here', 'echo unreachable', '```'].join('\n'),
    'synthetic.md',
  ).filter((b) => b.runnable);
  const r = await runDocument(blocks, { timeoutMs: 30_000 });
  t.false(r.ok);
  t.true(r.code !== 0 && r.code !== null, 'bash ends with the exit code of the failing command');
  t.is(r.failedBlock?.line, 5);
  t.notRegex(r.stdout, /unreachable/);
  t.regex(failureReport(r), new RegExp(`synthetic\\.md:5: exit ${r.code}`));
});

test('person=relay: the relay line login printed runs on a laptop of its own, and the one line relay printed is pasted back', async (t) => {
  const md = [
    '```sh runnable sandbox=redmine person=relay',
    'oauth-handoff login --paste --redirect loopback --provider redmine --site "$REDMINE_URL" \\',
    '  --client-id "$CLIENT_ID" --client-secret-file client-secret.txt --name relayed',
    'oauth-handoff status relayed',
    'ls "$HOME/.config/oauth-handoff/credentials"',
    '```',
  ].join('\n');
  const r = await runDocument(extractBlocks(md, 'synthetic.md').filter((b) => b.runnable), { timeoutMs: 60_000 });
  t.true(r.ok, failureReport(r));
  t.true(r.approvals.some((a) => a.startsWith("ran on the laptop: oauth-handoff relay 'http://127.0.0.1:")), r.approvals.join('; '));
  t.is(r.approvals.at(-1), 'pasted the line relay printed');
  t.false(r.approvals.some((a) => a.startsWith('pasted the address')), 'the person did not take the address-bar path');
  // relay listened on the port the login put in its URL, and the browser reached it there
  const port = /listening on http:\/\/127\.0\.0\.1:(\d+)\/callback/.exec(r.laptop)?.[1];
  t.truthy(port, r.laptop);
  t.true(r.approvals.includes(`the browser reached http://127.0.0.1:${port}/callback`), r.approvals.join('; '));
  t.regex(r.stderr, new RegExp(`^ {4}oauth-handoff relay '[^']*redirect_uri=http%3A%2F%2F127\\.0\\.0\\.1%3A${port}%2Fcallback`, 'm'));
  t.regex(r.stdout, /^relayed\.ohs$/m, 'the credential is in the server\'s store');
  t.regex(r.stdout, /relayed {2}\(redmine /);
});

test('person=relay: a command that prints no relay line fails the run; the person does not fall back to the address bar', async (t) => {
  // an out-of-band redirect: login prints the URL but no relay line (relay could not catch anything)
  const md = [
    '```sh runnable sandbox=redmine person=relay',
    'oauth-handoff login --paste --redirect oob --timeout 3 --provider redmine --site "$REDMINE_URL" \\',
    '  --client-id "$CLIENT_ID" --client-secret-file client-secret.txt --name not-relayed',
    '```',
  ].join('\n');
  const r = await runDocument(extractBlocks(md, 'synthetic.md').filter((b) => b.runnable), { timeoutMs: 60_000 });
  t.false(r.ok);
  t.false(r.timedOut, 'login gave up at its own --timeout');
  t.deepEqual(r.approvals, [], 'nothing was opened or pasted');
  t.is(r.laptop, '');
  t.is(r.failedBlock?.line, 1);
});

test('runnable markers are strict: an unknown profile or attribute is an error, not a shown block', (t) => {
  t.throws(() => extractBlocks('```sh runnable sandbox=gitlab\nx\n```\n', 'x.md'), { instanceOf: BlockError, message: /unknown sandbox profile/ });
  t.throws(() => extractBlocks('```sh runnable profile=redmine\nx\n```\n', 'x.md'), { instanceOf: BlockError, message: /unknown attribute/ });
  t.throws(() => extractBlocks('```json runnable\n{}\n```\n', 'x.md'), { instanceOf: BlockError });
  t.throws(() => extractBlocks('```sh runnable person=laptop\nx\n```\n', 'x.md'), { instanceOf: BlockError, message: /unknown person "laptop"/ });
  const [b] = extractBlocks('  ```sh runnable sandbox=confluence\n  oauth-handoff status\n  ```\n', 'x.md');
  t.deepEqual([b?.runnable, b?.profile, b?.person, b?.code], [true, 'confluence', 'browser', 'oauth-handoff status']);
  const [r] = extractBlocks('```sh runnable person=relay sandbox=redmine\nx\n```\n', 'x.md');
  t.deepEqual([r?.profile, r?.person], ['redmine', 'relay']);
});

test('the tools the runnable docs use are installed (bash, curl, jq, tar, GNU date and timeout)', (t) => {
  for (const tool of ['bash', 'curl', 'jq', 'tar', 'date', 'timeout']) {
    const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
    t.is(r.status, 0, `${tool} is missing: install it (apt-get install ${tool === 'timeout' || tool === 'date' ? 'coreutils' : tool})`);
  }
  t.is(spawnSync('date', ['-u', '-d', '+7 days', '+%Y'], { encoding: 'utf8' }).status, 0, 'date -d needs GNU date');
});

test('the docs have runnable blocks at all', (t) => {
  const total = files.reduce((n, f) => n + runnable(f).length, 0);
  t.true(total >= 20, `only ${total} runnable blocks found`);
});

/** Documents run a few at a time: each starts CLI processes, and the suite shares two cores. */
const PARALLEL_DOCS = 3;
let running = 0;
const waiting: (() => void)[] = [];
async function slot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= PARALLEL_DOCS) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

for (const f of files) {
  const blocks = runnable(f);
  if (blocks.length === 0) continue;
  test(`${f}: every runnable block succeeds against the sandbox`, async (t) => {
    t.timeout(180_000);
    const r = await slot(() => runDocument(blocks));
    t.true(r.ok, failureReport(r));
    t.log(`${blocks.length} blocks in ${r.durationMs} ms`);
  });
}
