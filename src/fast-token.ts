/**
 * The start-up path of `oauth-handoff token`, which runs in every script call.
 * It is bundled into one small CommonJS file (dist/fast-token.cjs, scripts/bundle.mjs)
 * so a cold `token` loads neither yargs nor axios nor libsodium nor the ESM
 * loader. Its few options are read from the same table the yargs command
 * uses, and checked by the same function (src/cli-args.ts): one definition,
 * two readers that agree. Anything it does not understand, or a value the
 * table refuses, returns undefined and goes to the full CLI, which reports it.
 *
 * A token that is fresh in a directory store is read and printed here (src/credential's
 * freshInDirectory: the key file, the credential file, the refresh rule). Everything else a
 * `token` call can meet (a refresh, locks, warnings, errors, a fleet store) is `token` in full
 * (src/fast-token-full.ts, its own bundle), loaded only then; it reads again from the start.
 */
import { checkOptionValue } from './cli-args.js';
import { tokenOptions } from './cli-options.js';
import type { OptionTable } from './cli-options.js';
import { freshInDirectory } from './credential/index.js';
import { resolveHome, STORE_ENV, tokenJson } from './settings-file/index.js';
import type { Settings } from './settings-file/index.js';
import { createOutput, everythingWritten } from './terminal/index.js';

type Values = Record<string, string | boolean | number | undefined>;
/** A plain `token` call's options, read and checked */
export type TokenArgs = Values & { name: string };

/**
 * The words after `token`, read by the table the way util.parseArgs reads them in strict mode
 * (test/cli/options checks that the two agree), and no further: `--key value`, `--key=value`, a
 * boolean `--key`, and positionals. Whatever else parseArgs would also take (`--`, an option
 * given twice, a value that looks like an option) is undefined here, and the full CLI reads it.
 * Not util.parseArgs itself: its first call costs a cold `token` ≈ 0.4 ms, for five options.
 */
export function readTokenWords(args: readonly string[], table: OptionTable): { values: Record<string, string | boolean>; positionals: string[] } | undefined {
  const values: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') return undefined;
    const eq = arg.indexOf('=');
    const key = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    const spec = Object.hasOwn(table, key) ? table[key] : undefined;
    if (spec === undefined || Object.hasOwn(values, key)) return undefined;
    if (spec.type === 'boolean') {
      if (eq >= 0) return undefined;
      values[key] = true;
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || (eq < 0 && value.startsWith('-'))) return undefined;
    values[key] = value;
  }
  return { values, positionals };
}

export function parseTokenArgs(argv: readonly string[], table: OptionTable = tokenOptions): TokenArgs | undefined {
  if (argv[0] !== 'token' || argv.includes('--help') || argv.includes('-h')) return undefined;
  const parsed = readTokenWords(argv.slice(1), table);
  if (!parsed || parsed.positionals.length !== 1) return undefined;
  const values: TokenArgs = { name: parsed.positionals[0] as string };
  for (const [k, spec] of Object.entries(table)) {
    const v = parsed.values[k] ?? spec.default;
    if (v === undefined) continue;
    try {
      values[k] = checkOptionValue(k, spec, v) as string | boolean | number;
    } catch {
      return undefined;
    }
  }
  return values;
}

/**
 * A fresh token from a directory store, printed; undefined (nothing printed) when the call needs
 * more than that: a fleet store, --redis-prefix, a refresh due, a token with a space (it warns),
 * or any error, which `token` in full meets again and reports.
 */
async function servedFresh(a: TokenArgs, env: NodeJS.ProcessEnv): Promise<number | undefined> {
  const where = (a.store as string | undefined) || env[STORE_ENV];
  if (a['redis-prefix'] !== undefined || (where !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(where))) return undefined;
  let token: Settings['token'];
  try {
    const settings = await freshInDirectory(resolveHome(a.store as string | undefined, env), a.name, a['min-valid'] as number);
    if (!settings || settings.token.access_token.includes(' ')) return undefined;
    token = settings.token;
  } catch {
    return undefined;
  }
  const out = createOutput({ env });
  if (a.json === true) out.json(tokenJson(token));
  else out.data(token.access_token + '\n');
  return 0;
}

/** A plain token call run: its exit code, and whether the fresh read alone served it (then nothing is left to do). */
interface FastRun {
  code: number;
  servedFresh: boolean;
}

function runFast(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<FastRun> | undefined {
  // Under GitHub Actions the token must be masked before it is printed: the full CLI does that.
  if (env.GITHUB_ACTIONS === 'true') return undefined;
  const a = parseTokenArgs(argv);
  if (!a) return undefined;
  return servedFresh(a, env).then(async (code) =>
    code !== undefined ? { code, servedFresh: true } : { code: await (await import('./fast-token-full.js')).fullToken(a, env), servedFresh: false },
  );
}

/** Runs `token` when argv is a plain token call; undefined means "not mine, use the full CLI". */
export function fastToken(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> | undefined {
  return runFast(argv, env)?.then((r) => r.code);
}

/** The full CLI (src/cli.ts), for whatever the fast path leaves to it. */
export interface FullCli {
  runCli(argv: string[]): Promise<number>;
}

/**
 * The executable's dispatch, one for both forms of it: bin/oauth-handoff.cjs (the npm package) and
 * scripts/sea/main.cjs (the single executable) each load this bundle their own way and call it. A
 * plain `token` call runs here; anything else goes to the full CLI, which `loadCli` loads only then.
 * `afterFast` runs when the fast path is done (the bin writes its code cache then). The exit code
 * goes to process.exitCode; an error that nothing reported ends with exit 1.
 *
 * A fresh token printed by the fast path ends the process at once (process.exit): nothing is left
 * (no timer, no handle, the output written synchronously), and the orderly teardown of a Node.js
 * environment with crypto loaded costs a cold `token` ≈ 1.3 ms more. Output that went to a stream
 * instead (a non-blocking descriptor) is let drain, by the usual end.
 */
export function dispatch(argv: string[], loadCli: () => FullCli | Promise<FullCli>, afterFast?: () => void): Promise<void> {
  const fast = runFast(argv, process.env);
  const run: Promise<FastRun> = fast
    ? fast.finally(afterFast)
    : Promise.resolve()
        .then(loadCli)
        .then(async (cli) => ({ code: await cli.runCli(argv), servedFresh: false }));
  return run.then(
    (r) => {
      process.exitCode = r.code;
      if (r.servedFresh && everythingWritten()) process.exit();
    },
    (e: unknown) => {
      process.stderr.write(`oauth-handoff: error: ${(e instanceof Error && e.message) || String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
