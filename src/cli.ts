/**
 * yargs wiring only: parse argv into a plain options object, lazily import
 * one entry function per command, map errors to exit codes. No logic here.
 */
import yargs from 'yargs';
import type { Argv, FallbackCompletionFunction, Options } from 'yargs';
import { checkOptionValue, storeFromArgs } from './cli-args.js';
import {
  authorizeOptions,
  ciOptions,
  daemonOptions,
  execOptions,
  exportOptions,
  fleetAddMemberOptions,
  fleetOptions,
  fleetRemoveMemberOptions,
  fleetRestoreOptions,
  forgetOptions,
  importOptions,
  jsonOption,
  keygenOptions,
  loginOptions,
  refreshOptions,
  relayOptions,
  sandboxOptions,
  demoOptions,
  statusOptions,
  tokenOptions,
} from './cli-options.js';
import type { OptionTable } from './cli-options.js';
import { CODES, EXIT, EXIT_MEANINGS, HandoffError } from './errors.js';
import { detectLanguage, english, isLang, langFromArgv, message } from './i18n/index.js';
import type { MessageKey, Translator } from './i18n/index.js';
import { createOutput, reportError } from './terminal/index.js';
import type { Output } from './terminal/index.js';
import { VERSION } from './version.js';
import type { SandboxProfileId } from './sandbox/index.js';

type Args = Record<string, unknown>;

function withOptions(table: OptionTable, tr: Translator = english) {
  return (y: Argv): Argv => {
    for (const [key, spec] of Object.entries(table)) {
      const o: Options = { describe: tr.render(spec.describe) };
      if (spec.type === 'number' || spec.type === 'duration') {
        // no yargs type: the raw text reaches the table's check (yargs' own number type turns "abc" into NaN)
        o.requiresArg = true;
        o.coerce = (v: unknown) => checkOptionValue(key, spec, v);
      } else o.type = spec.type;
      if (spec.default !== undefined) o.default = spec.default;
      if (spec.alias) o.alias = spec.alias;
      if (spec.array) o.array = true;
      if (spec.group) o.group = tr.render(spec.group);
      if (spec.hidden) o.hidden = true;
      y = y.option(key, o);
    }
    return y;
  };
}

const str = (a: Args, k: string): string | undefined => (a[k] === undefined ? undefined : String(a[k]));
const bool = (a: Args, k: string): boolean => a[k] === true;
const num = (a: Args, k: string): number | undefined => (typeof a[k] === 'number' ? (a[k] as number) : undefined);
/** yargs reads a lone "-" (stdin) as `true` */
const fileArg = (a: Args, k: string): string => (a[k] === true || a[k] === '' ? '-' : String(a[k]));
const list = (a: Args, k: string): string[] => (a[k] === undefined ? [] : ([] as unknown[]).concat(a[k]).map(String));
/** durations arrive in seconds (the table's check converts them) */
const ms = (a: Args, k: string): number | undefined => (num(a, k) === undefined ? undefined : (num(a, k) as number) * 1000);
const lockMs = (a: Args): number | undefined => ms(a, 'lock-timeout');
const common = (a: Args) => ({ store: str(a, 'store'), json: bool(a, 'json') });

const headless = () => import('./headless-side/index.js');
/** CI mode options (token, exec) */
const ci = (a: Args, out: Output) => ({
  fromEnv: bool(a, 'from-env'),
  writeBack: str(a, 'write-back'),
  githubActions: typeof a['github-actions'] === 'boolean' ? (a['github-actions'] as boolean) : undefined,
  output: str(a, 'github-output') ?? deprecated(str(a, 'output'), () => out.warn(out.t('cli.option.github_output_renamed'))),
});
const deprecated = <T>(value: T | undefined, warn: () => void): T | undefined => {
  if (value !== undefined) warn();
  return value;
};

export async function runCli(argv: string[]): Promise<number> {
  // the language is chosen before yargs reads anything, so help and yargs' own frame already speak it
  const langArg = langFromArgv(argv);
  const lang = detectLanguage(process.env, langArg);
  const out = createOutput({ lang });
  if (langArg !== undefined && !isLang(langArg)) return reportError(new HandoffError(message('cli.lang.invalid', { value: langArg }), { code: CODES.USAGE }), out);
  // --lang means OAUTH_HANDOFF_LANG for this process and what it starts: every
  // command that makes its own Output, and a nested oauth-handoff, speak the same language
  if (langArg !== undefined) process.env.OAUTH_HANDOFF_LANG = lang;
  // --json: an error is one JSON object on stdout too (read from argv: the parse itself may be what failed)
  const wantsJson = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : argv.length).includes('--json');
  let code: number = EXIT.OK;
  const run = (fn: (a: Args) => Promise<number>) => async (a: Args) => {
    try {
      code = await fn(a);
    } catch (e) {
      code = reportError(e, out, { json: wantsJson });
    }
  };

  // `completion bash|zsh`: yargs picks the script by $SHELL; the argument decides instead
  if (argv[0] === 'completion' && argv[1] !== undefined && !argv[1].startsWith('-')) {
    if (argv[1] !== 'bash' && argv[1] !== 'zsh') return reportError(new HandoffError(message('cli.unknown_shell', { shell: argv[1].slice(0, 20) }), { code: CODES.USAGE }), out);
    process.env.SHELL = `/bin/${argv[1]}`;
    argv = [argv[0], ...argv.slice(2)];
  }
  const parser = yargs(argv)
    .scriptName('oauth-handoff')
    .locale(lang)
    .version(VERSION)
    .usage(`$0 <command> [options]\n\n${out.t('cli.usage')}`)
    .command(
      'keygen',
      out.t('command.keygen'),
      (y) => withOptions(keygenOptions, out.i18n)(y),
      run(async (a) =>
        (await headless()).keygenCommand({ ...common(a), force: bool(a, 'force'), show: bool(a, 'show'), exportPrivate: bool(a, 'export-private'), qr: a.qr as boolean | undefined }),
      ),
    )
    .command(
      'inspect <file>',
      out.t('command.inspect'),
      (y) => withOptions(jsonOption, out.i18n)(y.positional('file', {describe: out.t('positional.inspect.file') })),
      run(async (a) => (await headless()).inspectCommand({ json: bool(a, 'json'), file: fileArg(a, 'file') })),
    )
    .command(
      'import <file>',
      out.t('command.import'),
      (y) => withOptions(importOptions, out.i18n)(y.positional('file', {describe: out.t('positional.import.file') })),
      run(async (a) =>
        (await headless()).importCommand({
          ...common(a),
          file: fileArg(a, 'file'),
          name: str(a, 'name'),
          force: bool(a, 'force'),
          allowOlder: bool(a, 'allow-older'),
          allowDuplicate: bool(a, 'allow-duplicate'),
          verify: bool(a, 'verify'),
          passphraseFile: str(a, 'passphrase-file'),
          lockTimeoutMs: lockMs(a),
        }),
      ),
    )
    .command(
      'token <name>',
      out.t('command.token'),
      (y) => withOptions({ ...tokenOptions, ...ciOptions }, out.i18n)(y.positional('name', {type: 'string', describe: out.t('positional.token.name') })),
      run(async (a) =>
        (await headless()).ciTokenCommand({ ...common(a), name: str(a, 'name') as string, minValid: num(a, 'min-valid'), lockTimeoutMs: lockMs(a), ...ci(a, out) }),
      ),
    )
    .command(
      'refresh <name>',
      out.t('command.refresh'),
      (y) => withOptions(refreshOptions, out.i18n)(y.positional('name', {type: 'string', describe: out.t('positional.refresh.name') })),
      run(async (a) => (await headless()).refreshCommand({ ...common(a), name: str(a, 'name') as string, lockTimeoutMs: lockMs(a) })),
    )
    .command(
      'status [name]',
      out.t('command.status'),
      (y) => withOptions(statusOptions, out.i18n)(y.positional('name', {type: 'string', describe: out.t('positional.status.name') })),
      run(async (a) => (await headless()).ciStatusCommand({ ...common(a), name: str(a, 'name'), fromEnv: bool(a, 'from-env') })),
    )
    .command(
      'forget <name>',
      out.t('command.forget'),
      (y) => withOptions(forgetOptions, out.i18n)(y.positional('name', {type: 'string', describe: out.t('positional.forget.name') })),
      run(async (a) =>
        (await headless()).forgetCommand({
          ...common(a),
          name: str(a, 'name') as string,
          revoke: bool(a, 'revoke'),
          ...(typeof a['delete-client'] === 'boolean' ? { deleteClient: a['delete-client'] } : {}),
          lockTimeoutMs: lockMs(a),
        }),
      ),
    )
    .command(
      'export <name>',
      out.t('command.export'),
      (y) => withOptions(exportOptions, out.i18n)(y.positional('name', {type: 'string', describe: out.t('positional.export.name') })),
      run(async (a) =>
        (await headless()).exportCommand({
          ...common(a),
          name: str(a, 'name') as string,
          to: list(a, 'to'),
          passphrase: bool(a, 'passphrase'),
          passphraseFile: str(a, 'passphrase-file'),
          output: str(a, 'output'),
          armor: bool(a, 'armor'),
          copy: bool(a, 'copy'),
        }),
      ),
    )
    .command(
      'login',
      out.t('command.login'),
      (y) => withOptions(loginOptions, out.i18n)(y).conflicts('paste', 'device'),
      run(async (a) =>
        (await headless()).loginCommand({
          ...common(a),
          mode: bool(a, 'device') ? 'device' : bool(a, 'paste') ? 'paste' : undefined,
          provider: str(a, 'provider'),
          site: str(a, 'site'),
          clientId: str(a, 'client-id'),
          clientSecret: str(a, 'client-secret'),
          clientSecretFile: str(a, 'client-secret-file'),
          clientAuth: str(a, 'client-auth'),
          scopes: list(a, 'scope'),
          name: str(a, 'name'),
          redirectUri: str(a, 'redirect-uri'),
          redirect: str(a, 'redirect'),
          issuer: str(a, 'issuer'),
          resource: str(a, 'resource'),
          authorizationEndpoint: str(a, 'authorization-endpoint'),
          tokenEndpoint: str(a, 'token-endpoint'),
          revocationEndpoint: str(a, 'revocation-endpoint'),
          deviceAuthorizationEndpoint: str(a, 'device-authorization-endpoint'),
          force: bool(a, 'force'),
          timeoutSeconds: num(a, 'timeout'),
          qr: a.qr !== false,
          lockTimeoutMs: lockMs(a),
        }),
      ),
    )
    .command(
      'exec <name> [command..]',
      out.t('command.exec'),
      (y) =>
        withOptions(execOptions, out.i18n)(
          y
            .positional('name', {type: 'string', describe: out.t('positional.exec.name') })
            .positional('command', {type: 'string', array: true, describe: out.t('positional.exec.command') }),
        ),
      run(async (a) =>
        (await headless()).execCommand({
          store: str(a, 'store'),
          name: str(a, 'name') as string,
          command: argv.indexOf('--') < 0 ? list(a, 'command') : argv.slice(argv.indexOf('--') + 1),
          envVar: str(a, 'env-var'),
          minValid: num(a, 'min-valid'),
          lockTimeoutMs: lockMs(a),
          ...ci(a, out),
        }),
      ),
    )
    .command(
      'authorize',
      out.t('command.authorize'),
      (y) => withOptions(authorizeOptions, out.i18n)(y),
      run(async (a) =>
        (await import('./browser-side/index.js')).authorizeCommand({
          provider: str(a, 'provider'),
          site: str(a, 'site'),
          clientId: str(a, 'client-id'),
          clientSecret: str(a, 'client-secret'),
          clientSecretFile: str(a, 'client-secret-file'),
          clientAuth: str(a, 'client-auth') as 'client_secret_basic' | 'client_secret_post' | 'none' | undefined,
          scope: list(a, 'scope'),
          name: str(a, 'name'),
          redirect: str(a, 'redirect') as 'loopback' | 'oob' | undefined,
          redirectUri: str(a, 'redirect-uri'),
          authorizationEndpoint: str(a, 'authorization-endpoint'),
          tokenEndpoint: str(a, 'token-endpoint'),
          revocationEndpoint: str(a, 'revocation-endpoint'),
          issuer: str(a, 'issuer'),
          resource: str(a, 'resource'),
          param: list(a, 'param'),
          browser: a.browser !== false,
          timeout: num(a, 'timeout'),
          qr: a.qr !== false,
          to: list(a, 'to'),
          passphrase: bool(a, 'passphrase'),
          passphraseFile: str(a, 'passphrase-file'),
          output: str(a, 'output'),
          armor: bool(a, 'armor'),
          copy: bool(a, 'copy'),
          force: bool(a, 'force'),
          json: bool(a, 'json'),
        }),
      ),
    )
    .command(
      'providers [id]',
      out.t('command.providers'),
      (y) => withOptions(jsonOption, out.i18n)(y.positional('id', {type: 'string', describe: out.t('positional.providers.id') })),
      run(async (a) => (await import('./browser-side/index.js')).providersCommand({ id: str(a, 'id'), json: bool(a, 'json') })),
    )
    .command(
      'relay <url>',
      out.t('command.relay'),
      (y) => withOptions(relayOptions, out.i18n)(y.positional('url', {type: 'string', describe: out.t('positional.relay.url') })),
      run(async (a) =>
        (await import('./browser-side/index.js')).relayCommand({
          url: str(a, 'url') as string,
          browser: a.browser !== false,
          timeout: num(a, 'timeout'),
          copy: bool(a, 'copy'),
          json: bool(a, 'json'),
        }),
      ),
    )
    .command(
      'sandbox',
      out.t('command.sandbox'),
      (y) => withOptions(sandboxOptions, out.i18n)(y),
      run(async (a) => {
        await (await import('./sandbox/index.js')).runSandboxCommand({
          profile: str(a, 'profile') as SandboxProfileId | undefined,
          port: num(a, 'port'),
          autoApprove: bool(a, 'auto-approve'),
          clientSecret: str(a, 'client-secret'),
          clientSecretFile: str(a, 'client-secret-file'),
          deviceGrant: bool(a, 'device-grant'),
          redirectPort: num(a, 'redirect-port'),
          registeredSecretTtl: num(a, 'registered-secret-ttl'),
          confidentialClients: bool(a, 'confidential-clients'),
          out,
          accessTokenTtl: num(a, 'access-token-ttl'),
          refreshTokenTtl: num(a, 'refresh-token-ttl'),
          codeTtl: num(a, 'code-ttl'),
          verbose: bool(a, 'verbose'),
          json: bool(a, 'json'),
        });
        return 0;
      }),
    )
    .command(
      'demo',
      out.t('command.demo'),
      (y) => withOptions(demoOptions)(y),
      run(async (a) => (await import('./demo.js')).demoCommand({ profile: str(a, 'profile') })),
    )
    .command(
      'daemon [names..]',
      out.t('command.daemon'),
      (y) => withOptions(daemonOptions, out.i18n)(y.positional('names', {type: 'string', array: true, describe: out.t('positional.daemon.names') })),
      run(async (a) =>
        (await headless()).daemonCommand({
          store: str(a, 'store'),
          names: list(a, 'names'),
          all: bool(a, 'all'),
          onFailure: str(a, 'on-failure'),
          onWarning: str(a, 'on-warning'),
          warnBefore: list(a, 'warn-before'),
          keepAliveBefore: num(a, 'keep-alive-before'),
          maxRate: num(a, 'max-rate'),
          concurrency: num(a, 'concurrency'),
          backoffBase: num(a, 'backoff-base'),
          backoffMax: num(a, 'backoff-max'),
          poll: num(a, 'poll'),
          httpTimeout: num(a, 'http-timeout'),
          lockTimeout: num(a, 'lock-timeout'),
          stopTimeout: num(a, 'stop-timeout'),
          logFormat: str(a, 'log-format'),
          verbose: bool(a, 'verbose'),
          sink: list(a, 'sink'),
          metricsFile: str(a, 'metrics-file'),
          metricsListen: str(a, 'metrics-listen'),
        }),
      ),
    )
    .command(
      'fleet',
      out.t('command.fleet'),
      (y) =>
        y
          .command(
            'members',
            out.t('command.fleet.members'),
            (y2) => withOptions(fleetOptions, out.i18n)(y2),
            run(async (a) => (await headless()).fleetMembersCommand({ ...common(a), lockTimeoutMs: lockMs(a) })),
          )
          .command(
            'add-member <key>',
            out.t('command.fleet.add-member'),
            (y2) => withOptions(fleetAddMemberOptions, out.i18n)(y2.positional('key', {type: 'string', describe: out.t('positional.add-member.key') })),
            run(async (a) => (await headless()).fleetAddMemberCommand({ ...common(a), key: str(a, 'key') as string, label: str(a, 'label'), lockTimeoutMs: lockMs(a) })),
          )
          .command(
            'remove-member <key>',
            out.t('command.fleet.remove-member'),
            (y2) => withOptions(fleetRemoveMemberOptions, out.i18n)(y2.positional('key', {type: 'string', describe: out.t('positional.remove-member.key') })),
            run(async (a) => (await headless()).fleetRemoveMemberCommand({ ...common(a), key: str(a, 'key') as string, force: bool(a, 'force'), lockTimeoutMs: lockMs(a) })),
          )
          .command(
            'restore <names..>',
            out.t('command.fleet.restore'),
            (y2) =>
              withOptions(fleetRestoreOptions, out.i18n)(y2.positional('names', {type: 'string', array: true, describe: out.t('positional.restore.names') })),
            run(async (a) => (await headless()).fleetRestoreCommand({ ...common(a), names: list(a, 'names'), force: bool(a, 'force'), lockTimeoutMs: lockMs(a) })),
          )
          .demandCommand(1, out.t('cli.demand_fleet_command')),
      () => undefined,
    )
    .option('lang', { type: 'string', choices: ['en', 'ja'], global: true, describe: out.t('option.lang') })
    .middleware((a) => {
      // below both readers (src/cli-args.ts): the fast path does the same
      const store = storeFromArgs({ store: str(a, 'store'), redisPrefix: str(a, 'redis-prefix') }, process.env, out);
      if (store !== undefined) a.store = store;
    })
    .completion('completion', out.t('command.completion'), ((current: string, _a: unknown, completionFilter: (onCompleted?: (err: unknown, completions: string[]) => void) => void, done: (completions: string[]) => void) => {
      completionFilter((err: unknown, defaults: string[]) => {
        const at = argv.indexOf('--get-yargs-completions');
        const words = at < 0 ? [current] : argv.slice(at + 2);
        void import('./cli-completion.js')
          .then((c) => c.extraCompletions(words))
          .then((extra) => done([...(err ? [] : defaults), ...extra]), () => done(err ? [] : defaults));
      });
    }) as FallbackCompletionFunction)
    .demandCommand(1, out.t('cli.demand_command'))
    .recommendCommands()
    .strict()
    .help()
    .alias('h', 'help')
    .epilogue(
      out.t('cli.epilogue', { codes: Object.keys(EXIT_MEANINGS).map((n) => `${n} ${out.i18n.render(`exit.${n}` as MessageKey)}`).join(out.t('cli.list_separator')) }),
    )
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((msg, err) => {
      // stop yargs here: without a throw it would go on to run the command
      // the handlers catch their own errors (run): what arrives here is about argv, also a table's check that yargs wrapped
      if (err instanceof HandoffError) throw err;
      if (argv[0] === 'exec' && !argv.includes('--') && /Unknown argument/i.test(err?.message ?? msg ?? '')) {
        throw new HandoffError(message('cli.exec_options', { message: err?.message ?? msg ?? '' }), { code: CODES.USAGE });
      }
      throw new HandoffError(err?.message ?? msg, { code: CODES.USAGE });
    });
  if (argv.length === 0) {
    // no arguments: the help, on stderr (stdout carries only machine output)
    out.raw(`${await parser.getHelp()}\n`);
    return EXIT.USAGE;
  }
  try {
    await parser.parseAsync();
  } catch (e) {
    return reportError(e, out, { json: wantsJson });
  }
  return code;
}
