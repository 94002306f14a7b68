/**
 * The start-up path of `oauth-handoff token`, which runs in every script call.
 * It is bundled into one CommonJS file (dist/fast-token.cjs, scripts/bundle.mjs)
 * so a cold `token` loads neither yargs nor axios nor libsodium nor the ESM
 * loader. Its few options are read with util.parseArgs from the same table
 * the yargs command uses, and checked by the same function (src/cli-args.ts):
 * one definition, two readers that agree. Anything it does not understand,
 * or a value the table refuses, returns undefined and goes to the full CLI,
 * which reports it.
 */
import { parseArgs } from 'node:util';
import { checkOptionValue, storeFromArgs } from './cli-args.js';
import { tokenOptions } from './cli-options.js';
import type { OptionTable } from './cli-options.js';
import { tokenCommand } from './headless-side/index.js';
import { createOutput, reportError } from './terminal/index.js';

type Values = Record<string, string | boolean | number | undefined>;

export function parseTokenArgs(argv: readonly string[], table: OptionTable = tokenOptions): (Values & { name: string }) | undefined {
  if (argv[0] !== 'token' || argv.includes('--help') || argv.includes('-h')) return undefined;
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const [k, spec] of Object.entries(table)) options[k] = { type: spec.type === 'boolean' ? 'boolean' : 'string' };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv.slice(1), options, allowPositionals: true, strict: true });
  } catch {
    return undefined;
  }
  if (parsed.positionals.length !== 1) return undefined;
  const values: Values & { name: string } = { name: parsed.positionals[0] as string };
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

/** Runs `token` when argv is a plain token call; undefined means "not mine, use the full CLI". */
export function fastToken(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> | undefined {
  // Under GitHub Actions the token must be masked before it is printed: the full CLI does that.
  if (env.GITHUB_ACTIONS === 'true') return undefined;
  const a = parseTokenArgs(argv);
  if (!a) return undefined;
  const out = createOutput();
  let store: string | undefined;
  try {
    store = storeFromArgs({ store: a.store as string | undefined, redisPrefix: a['redis-prefix'] as string | undefined }, env, out);
  } catch (e) {
    return Promise.resolve(reportError(e, out, { json: a.json === true }));
  }
  return tokenCommand({
    name: a.name,
    store,
    json: a.json === true,
    minValid: a['min-valid'] as number,
    lockTimeoutMs: (a['lock-timeout'] as number) * 1000,
    out,
  }).catch((e: unknown) => reportError(e, out, { json: a.json === true }));
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
 */
export function dispatch(argv: string[], loadCli: () => FullCli | Promise<FullCli>, afterFast?: () => void): Promise<void> {
  const fast = fastToken(argv);
  const run = fast ? fast.finally(afterFast) : Promise.resolve().then(loadCli).then((cli) => cli.runCli(argv));
  return run.then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`oauth-handoff: error: ${(e instanceof Error && e.message) || String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
