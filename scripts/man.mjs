// The man page, made from the built CLI's own --help (so it never disagrees
// with it): every command and subcommand, its options and positionals, the exit
// codes. `node scripts/man.mjs [OUT_DIR]` writes OUT_DIR/man1/oauth-handoff.1; OUT_DIR
// defaults to dist/man. English only: Debian's groff cannot set Japanese, and
// `oauth-handoff --help` is complete in Japanese under a ja locale.
// Run by prepack and by build:deb; `man -l dist/man/man1/oauth-handoff.1` shows it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'bin/oauth-handoff.cjs');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outDir = process.argv[2] ?? join(root, 'dist/man');

function help(args, lang) {
  return execFileSync(process.execPath, [bin, ...args, '--help'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME ?? '/tmp', OAUTH_HANDOFF_LANG: lang, NO_COLOR: '1', COLUMNS: '100' },
  });
}

/** roff-escape a line of text (backslashes, leading dots and quotes, hyphens in options) */
const esc = (s) => s.replace(/\\/g, '\\e').replace(/^([.'])/, '\\&$1').replace(/-/g, '\\-');

/** Split --help text into usage, description and sections of [term, text] entries. */
function parse(text) {
  const lines = text.replace(/\n+$/, '').split('\n');
  const usage = lines[0] ?? '';
  let i = 1;
  const description = [];
  while (i < lines.length && !/^\S.*[:：]$/.test(lines[i])) {
    if (lines[i].trim()) description.push(lines[i].trim());
    i++;
  }
  const sections = [];
  let cur;
  for (; i < lines.length; i++) {
    const line = lines[i];
    if (/^\S.*[:：]$/.test(line)) {
      cur = { title: line.replace(/[:：]$/, ''), entries: [] };
      sections.push(cur);
      continue;
    }
    if (!cur) continue;
    if (!line.trim()) {
      cur = undefined;
      continue;
    }
    // an entry starts at column 2 ("  name  text", "  -h, --help  text") or 6 ("      --store  text"); deeper lines continue it
    const m = /^(?: {2}(?=\S)| {6}(?=--))(\S.*?)(?: {2,}(.*))?$/.exec(line);
    if (m) {
      cur.entries.push([m[1].trim(), (m[2] ?? '').trim()]);
      continue;
    }
    const last = cur.entries.at(-1);
    if (last) last[1] = `${last[1]} ${line.trim()}`.trim();
  }
  return { usage, description: description.join(' '), sections };
}

function commandsOf(text) {
  const cmds = [];
  for (const line of text.split('\n')) {
    const m = /^ {2}oauth-handoff ((?:[a-z][a-z-]*)(?: [a-z][a-z-]*)?)(?=\s|$)/.exec(line);
    if (m) cmds.push(m[1].split(' ').filter((w) => /^[a-z][a-z-]*$/.test(w)));
  }
  return cmds;
}

function page(lang) {
  const top = help([], lang);
  const t = parse(top);
  const out = [];
  const date = new Date().toISOString().slice(0, 10);
  out.push(`.TH OAUTH\\-HANDOFF 1 "${date}" "oauth\\-handoff ${version}" "${lang === 'ja' ? 'ユーザーコマンド' : 'User Commands'}"`);
  out.push('.SH NAME', `oauth\\-handoff \\- ${esc(t.description)}`);
  out.push('.SH SYNOPSIS', `.B ${esc(t.usage)}`);
  const sections = [];
  // `completion --help` prints the script itself: that command is described from the top-level list
  const queue = commandsOf(top).filter((c) => c.length === 1 && c[0] !== 'completion');
  const seen = new Set();
  while (queue.length) {
    const c = queue.shift();
    const key = c.join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    const text = help(c, lang);
    const p = parse(text);
    sections.push(p);
    for (const sub of commandsOf(text)) if (sub.length === c.length + 1 && sub.slice(0, c.length).join(' ') === key) queue.push(sub);
  }
  const completion = t.sections.flatMap((s) => s.entries).find(([term]) => term.startsWith('oauth-handoff completion'));
  if (completion) sections.push({ usage: 'oauth-handoff completion [bash|zsh]', description: completion[1].replace(/\s+/g, ' '), sections: [] });
  out.push(`.SH ${lang === 'ja' ? 'コマンド' : 'COMMANDS'}`);
  for (const p of sections) {
    out.push(`.SS "${esc(p.usage)}"`, esc(p.description));
    for (const s of p.sections) {
      const entries = s.entries.filter(([term]) => !/^(-h, )?--help$|^--version$/.test(term));
      if (!entries.length) continue;
      out.push('.PP', `.I ${esc(s.title)}`);
      for (const [term, text] of entries) out.push('.TP', `.B ${esc(term)}`, esc(text.replace(/\s+/g, ' ')));
    }
  }
  out.push(`.SH ${lang === 'ja' ? '終了ステータス' : 'EXIT STATUS'}`, esc(top.slice(top.search(/Exit codes|終了コード/)).replace(/\s+/g, ' ').trim()));
  out.push(`.SH ${lang === 'ja' ? '関連項目' : 'SEE ALSO'}`, 'README.md, docs/ja/README.md, docs/security.md, docs/operations.md');
  return `${out.join('\n')}\n`;
}

const dir = join(outDir, 'man1');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'oauth-handoff.1'), page('en'));
