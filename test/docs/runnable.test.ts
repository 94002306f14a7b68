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
    const mine = runnable(f).map((b) => `[${b.profile}]\n${commandsOf(b.code)}`);
    const theirs = runnable(original).map((b) => `[${b.profile}]\n${commandsOf(b.code)}`);
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

test('runnable markers are strict: an unknown profile or attribute is an error, not a shown block', (t) => {
  t.throws(() => extractBlocks('```sh runnable sandbox=gitlab\nx\n```\n', 'x.md'), { instanceOf: BlockError, message: /unknown sandbox profile/ });
  t.throws(() => extractBlocks('```sh runnable profile=redmine\nx\n```\n', 'x.md'), { instanceOf: BlockError, message: /unknown attribute/ });
  t.throws(() => extractBlocks('```json runnable\n{}\n```\n', 'x.md'), { instanceOf: BlockError });
  const [b] = extractBlocks('  ```sh runnable sandbox=confluence\n  oauth-handoff status\n  ```\n', 'x.md');
  t.deepEqual([b?.runnable, b?.profile, b?.code], [true, 'confluence', 'oauth-handoff status']);
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
