/**
 * The runnable-block convention of the docs (test/docs/README.md says it in
 * words): a fenced code block whose info string is `sh runnable` (or
 * `bash runnable`), optionally followed by `sandbox=PROFILE`, is run by
 * test/docs/runnable.test.ts. Any other fence is shown, never run.
 *
 *     ```sh runnable sandbox=redmine
 *     oauth-handoff token redmine-prod
 *     ```
 *
 * `person=relay` says how the person hands an authorization back in that
 * block (BLOCK_PERSONS).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** The sandbox profiles a block may ask for (the ids of src/sandbox). */
export const BLOCK_PROFILES = ['generic', 'redmine', 'backlog', 'confluence', 'jira', 'questetra', 'oauth21'] as const;
export type BlockProfile = (typeof BLOCK_PROFILES)[number];

/**
 * How the person stood in for hands the authorization back (`person=…`):
 * `browser` (the default) opens the printed URL and pastes what a browser
 * shows; `relay` runs, on a laptop of its own, the `oauth-handoff relay '…'`
 * line the command printed, and pastes the line relay printed.
 */
export const BLOCK_PERSONS = ['browser', 'relay'] as const;
export type BlockPerson = (typeof BLOCK_PERSONS)[number];

/** Shell languages a runnable block may be written in. */
const SHELLS = new Set(['sh', 'bash', 'shell']);
/** Attributes a runnable block may carry. */
const ATTRIBUTES = new Set(['sandbox', 'person']);

export interface CodeBlock {
  /** path relative to the repository root */
  file: string;
  /** 1-based line of the opening fence */
  line: number;
  lang: string;
  runnable: boolean;
  /** the sandbox profile of a runnable block (default generic) */
  profile: BlockProfile;
  /** how the person hands the authorization back (default browser) */
  person: BlockPerson;
  code: string;
}

export class BlockError extends Error {}

/**
 * Every fenced code block of a Markdown text, in order. Fences may be
 * indented (inside list items); the indentation is removed from the content.
 * A malformed runnable fence (unknown language, attribute or profile) throws:
 * a typo must not silently turn a runnable block into a shown one.
 */
export function extractBlocks(markdown: string, file: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^`]*)$/.exec(lines[i] ?? '');
    if (!open) continue;
    const indent = open[1]!.length;
    const fence = open[2]!;
    const info = open[3]!.trim().split(/\s+/).filter((w) => w !== '');
    const lang = info[0] ?? '';
    const runnable = info.slice(1).includes('runnable');
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const l = lines[j] ?? '';
      const close = new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`).exec(l);
      if (close) break;
      body.push(l.slice(Math.min(indent, l.length - l.trimStart().length)));
    }
    if (j >= lines.length) throw new BlockError(`${file}:${i + 1}: a code fence is never closed`);
    let profile: BlockProfile = 'generic';
    let person: BlockPerson = 'browser';
    if (runnable) {
      if (!SHELLS.has(lang)) throw new BlockError(`${file}:${i + 1}: a runnable block must be sh or bash, not "${lang}"`);
      for (const word of info.slice(1)) {
        if (word === 'runnable') continue;
        const [key, value] = word.split('=', 2) as [string, string | undefined];
        if (!ATTRIBUTES.has(key) || value === undefined) throw new BlockError(`${file}:${i + 1}: unknown attribute "${word}" on a runnable block`);
        if (key === 'person') {
          if (!(BLOCK_PERSONS as readonly string[]).includes(value)) {
            throw new BlockError(`${file}:${i + 1}: unknown person "${value}" (one of ${BLOCK_PERSONS.join(', ')})`);
          }
          person = value as BlockPerson;
          continue;
        }
        if (!(BLOCK_PROFILES as readonly string[]).includes(value)) {
          throw new BlockError(`${file}:${i + 1}: unknown sandbox profile "${value}" (one of ${BLOCK_PROFILES.join(', ')})`);
        }
        profile = value as BlockProfile;
      }
    } else if (info.some((w) => /^runnable\b/i.test(w) && w !== 'runnable')) {
      throw new BlockError(`${file}:${i + 1}: "${info.join(' ')}" looks like a misspelt runnable marker`);
    }
    blocks.push({ file, line: i + 1, lang, runnable, profile, person, code: body.join('\n') });
    i = j;
  }
  return blocks;
}

/** README.md and every Markdown file under docs/, relative to `root`, sorted. */
export async function docFiles(root: string): Promise<string[]> {
  const found: string[] = ['README.md'];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && e.name.endsWith('.md')) found.push(relative(root, p));
    }
  };
  await walk(join(root, 'docs'));
  return found.sort();
}

export async function blocksOf(root: string, file: string): Promise<CodeBlock[]> {
  return extractBlocks(await readFile(join(root, file), 'utf8'), file);
}

/**
 * A block's commands without comments and blank lines: what must be the same
 * in a document and its translation (comments may be translated).
 */
export function commandsOf(code: string): string {
  return code
    .split('\n')
    .map((l) => (/^\s*#/.test(l) ? '' : l.replace(/\s+#\s.*$/, '').trimEnd()))
    .filter((l) => l.trim() !== '')
    .join('\n');
}
