/**
 * The man page is made from the built CLI's --help (scripts/man.mjs), so it
 * names every command and option the CLI has; `man -l` renders it.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BIN, ROOT } from '../helpers/cli.js';

const run = promisify(execFile);

test('the man page lists every command and every option of --help, and man renders it', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'oh-man-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await run(process.execPath, [join(ROOT, 'scripts/man.mjs'), dir], { timeout: 120_000 });
  const roff = await readFile(join(dir, 'man1/oauth-handoff.1'), 'utf8');
  t.regex(roff, /^\.TH OAUTH\\-HANDOFF 1 /);
  const env = { ...process.env, LANG: 'C', NO_COLOR: '1' };
  const top = (await run(process.execPath, [BIN, '--help'], { env })).stdout;
  const commands = [...top.matchAll(/^ {2}oauth-handoff ([a-z][a-z-]*)/gm)].map((m) => m[1] as string);
  t.true(commands.length > 10);
  for (const c of commands) t.regex(roff, new RegExp(`^\\.SS "oauth\\\\-handoff ${c.replace(/-/g, '\\\\\\\\-')}\\b`, 'm'), c);
  const tokenHelp = (await run(process.execPath, [BIN, 'token', '--help'], { env })).stdout;
  for (const m of tokenHelp.matchAll(/^ +(--[a-z][a-z-]*)/gm)) {
    if (m[1] === '--help' || m[1] === '--version') continue;
    t.true(roff.includes(`.B ${(m[1] as string).replace(/-/g, '\\-')}`), m[1]);
  }
  t.regex(roff, /\.SH EXIT STATUS\n.*7 store unavailable/);
  const man = await run('man', ['-l', join(dir, 'man1/oauth-handoff.1')], { env: { ...env, MANWIDTH: '80', MANPAGER: 'cat', PAGER: 'cat' } }).catch((e: Error) => e);
  if (man instanceof Error) t.fail(`man -l: ${man.message}`);
  else t.regex(man.stdout, /EXIT STATUS/);
});
