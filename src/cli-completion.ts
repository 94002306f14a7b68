/**
 * Shell completion beyond yargs' commands and options: credential names for
 * the commands that take one, provider ids after --provider. Reads the
 * store's directory listing only (never opens a credential).
 */
import { readdir } from 'node:fs/promises';

/** Commands whose first positional is a credential name. */
const NAME_COMMANDS = new Set(['token', 'exec', 'refresh', 'status', 'forget', 'export', 'daemon']);

/**
 * What to offer for the last word, given the words typed so far (after the
 * program name). The store is --store when typed, else the default one.
 */
export async function extraCompletions(words: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const current = words[words.length - 1] ?? '';
  const previous = words[words.length - 2];
  if (current.startsWith('-')) return [];
  if (previous === '--provider') {
    const { PROVIDER_IDS } = await import('./oauth/index.js');
    return PROVIDER_IDS.filter((id) => id.startsWith(current));
  }
  const positionals = words.slice(0, -1).filter((w, i, all) => !w.startsWith('-') && !(all[i - 1] ?? '').startsWith('--'));
  const command = positionals[0];
  if (command === undefined || !NAME_COMMANDS.has(command)) return [];
  // the daemon takes any number of names; the others one
  if (command !== 'daemon' && positionals.length > 1) return [];
  const storeAt = words.indexOf('--store');
  const store = storeAt >= 0 ? words[storeAt + 1] : undefined;
  const { resolveHome, storeLayout, CREDENTIAL_SUFFIX } = await import('./settings-file/index.js');
  let files: string[];
  try {
    files = await readdir(storeLayout(resolveHome(store, env)).credentialsDir);
  } catch {
    return [];
  }
  return files
    .filter((f) => f.endsWith(CREDENTIAL_SUFFIX))
    .map((f) => f.slice(0, -CREDENTIAL_SUFFIX.length))
    .filter((n) => n.startsWith(current))
    .sort();
}
