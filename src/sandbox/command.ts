/** `oauth-handoff sandbox`: run a sandbox in the foreground until SIGINT / SIGTERM. */
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { CODES, HandoffError } from '../errors.js';
import { message } from '../i18n/index.js';
import type { MessageKey } from '../i18n/index.js';
import { createOutput, displayWidth, escapeLine, padEndToWidth, resolveSecret, type Output } from '../terminal/index.js';
import {
  DEFAULT_SANDBOX_CLIENT_SECRET,
  DOCS_SECRET_FILE,
  SANDBOX_SECRET_ENV,
  playgroundNext,
  playgroundVariables,
  shellQuote,
} from './playground.js';
import { startSandbox } from './server.js';
import { SANDBOX_PROFILE_IDS, type LogEntry, type Sandbox, type SandboxClient, type SandboxProfileId } from './types.js';
import { clientJson, endpointsJson } from './wire.js';

export interface SandboxCommandOptions {
  profile?: SandboxProfileId;
  /** 0 or absent = a random free port */
  port?: number;
  /** must be 127.0.0.1 (or absent) */
  host?: string;
  autoApprove?: boolean;
  /** print one JSON object instead of the human summary */
  json?: boolean;
  /** print one line per request to stderr (never tokens) */
  verbose?: boolean;
  accessTokenTtl?: number;
  refreshTokenTtl?: number;
  codeTtl?: number;
  rateLimitPerMinute?: number;
  replayRevokesGrant?: boolean;
  /** serve the device grant (RFC 8628) */
  deviceGrant?: boolean;
  /** the loopback port of the redirect URI the docs' commands use (default 8765) */
  redirectPort?: number;
  /** registration issues only confidential clients (with secrets) */
  confidentialClients?: boolean;
  /** seconds a dynamically registered client's secret lives */
  registeredSecretTtl?: number;
  /** the default client's secret, given in argv (works, warns) */
  clientSecret?: string;
  /** the default client's secret: the first line of this file */
  clientSecretFile?: string;
  /** extra clients to register */
  clients?: SandboxClient[];
  /** stop when aborted (besides SIGINT / SIGTERM) */
  signal?: AbortSignal;
  /** called once the sandbox listens (e.g. by `demo`) */
  onListening?: (sandbox: Sandbox) => void;
  env?: NodeJS.ProcessEnv;
  /** where to print (default: stdout / stderr, in the locale's language) */
  out?: Output;
  stdout?: Writable;
  stderr?: Writable;
}

type SecretOrigin = 'fixed' | 'argv' | 'file' | 'env';

/** --client-secret (warns), --client-secret-file, $OAUTH_HANDOFF_SANDBOX_CLIENT_SECRET, else the fixed default. */
async function chooseSecret(opts: SandboxCommandOptions, out: Output): Promise<{ secret: string; origin: SecretOrigin }> {
  const secret = await resolveSecret(
    {
      what: 'sandbox client secret',
      ...(opts.clientSecret !== undefined ? { argv: opts.clientSecret } : {}),
      ...(opts.clientSecretFile !== undefined ? { file: opts.clientSecretFile } : {}),
      envName: SANDBOX_SECRET_ENV,
      env: opts.env ?? process.env,
      prompt: false,
      flags: `--client-secret-file or $${SANDBOX_SECRET_ENV}`,
    },
    out,
  );
  if (secret === undefined || secret === '') return { secret: DEFAULT_SANDBOX_CLIENT_SECRET, origin: 'fixed' };
  const origin: SecretOrigin = opts.clientSecret !== undefined ? 'argv' : opts.clientSecretFile !== undefined ? 'file' : 'env';
  return { secret, origin };
}

/** The line that puts the secret where the docs read it; never repeats a secret the sandbox did not show. */
function secretFileLine(origin: SecretOrigin, secret: string, file: string | undefined): string {
  switch (origin) {
    case 'fixed':
    case 'argv':
      return `(umask 077; printf '%s\\n' ${shellQuote(secret)} > ${DOCS_SECRET_FILE})`;
    case 'env':
      return `(umask 077; printf '%s\\n' "$${SANDBOX_SECRET_ENV}" > ${DOCS_SECRET_FILE})`;
    case 'file': {
      const abs = shellQuote(resolve(file!));
      return escapeLine(`[ ${DOCS_SECRET_FILE} -ef ${abs} ] || cp -- ${abs} ${DOCS_SECRET_FILE}`);
    }
  }
}

function describe(s: Sandbox, out: Output, secret: { origin: SecretOrigin; shown: string; file?: string }, port: { redirectPort?: number }): [string, string][] {
  const t = out.t;
  const e = s.endpoints;
  const rows: [MessageKey, string | undefined][] = [
    ['sandbox.row.authorization', e.authorization],
    ['sandbox.row.token', e.token],
    ['sandbox.row.revocation', e.revocation],
    ['sandbox.row.issuer', e.issuer],
    ['sandbox.row.token_info', e.tokenInfo],
    ['sandbox.row.device', e.deviceAuthorization],
    ['sandbox.row.verification', e.deviceVerification],
    ['sandbox.row.registration', e.registration],
    ['sandbox.row.resource', e.resource],
    ['sandbox.row.example', e.example],
    ['sandbox.row.client_id', s.client.id],
  ];
  const secretText =
    secret.origin === 'fixed' ? t('sandbox.secret.fixed', { secret: secret.shown })
    : secret.origin === 'argv' ? t('sandbox.secret.argv', { secret: secret.shown })
    : secret.origin === 'file' ? t('sandbox.secret.file', { file: escapeLine(secret.file ?? '') })
    : t('sandbox.secret.env');
  rows.push(['sandbox.row.client_secret', secretText], ['sandbox.row.redirect_uris', s.client.redirectUris.join(' ')]);
  const redirect = playgroundVariables(s, port).find(([k]) => k === 'REDIRECT_URI')?.[1];
  rows.push(['sandbox.row.redirect_uri', redirect]);
  return rows.filter((r): r is [MessageKey, string] => r[1] !== undefined).map(([k, v]) => [out.i18n.render(k), v]);
}

function logLine(e: LogEntry): string {
  const parts = [e.at, e.method, e.path, String(e.status)];
  if (e.grantType) parts.push(`grant_type=${e.grantType}`);
  if (e.clientId) parts.push(`client=${e.clientId}`);
  if (e.refreshTokenId) parts.push(`refresh=${e.refreshTokenId}`);
  if (e.replay) parts.push('REPLAY');
  if (e.error) parts.push(`error=${e.error}`);
  if (e.fault) parts.push(`fault=${e.fault}`);
  if (e.resource) parts.push(`resource=${e.resource}`);
  return `oauth-handoff: sandbox: ${parts.map(escapeLine).join(' ')}\n`;
}

/** The human summary (stderr): endpoints, the client, the lines to paste, the docs' next commands. */
function printSummary(s: Sandbox, out: Output, secret: { origin: SecretOrigin; shown: string; file?: string }, autoApprove: boolean, port: { redirectPort?: number }): void {
  const t = out.t;
  const rows = describe(s, out, secret, port);
  const w = Math.max(...rows.map(([k]) => displayWidth(k)));
  const lines = [t('sandbox.listening', { profile: s.profile, url: s.url }), ...rows.map(([k, v]) => `  ${padEndToWidth(k, w)}  ${v}`), ''];
  lines.push(t('sandbox.paste'), '');
  for (const [k, v] of playgroundVariables(s, port)) lines.push(`  export ${k}=${shellQuote(v)}`);
  lines.push(`  ${secretFileLine(secret.origin, secret.shown, secret.file)}`, '');
  const { next, device } = playgroundNext(s);
  if (s.endpoints.registration) lines.push(t('sandbox.next.registration'));
  lines.push(t('sandbox.next'), '');
  for (const c of next) lines.push(...c.split('\n').map((l) => `  ${l}`));
  if (device.length > 0) {
    lines.push('', t('sandbox.next.device'), '');
    for (const c of device) lines.push(...c.split('\n').map((l) => `  ${l}`));
  }
  out.raw(lines.join('\n') + '\n\n');
  out.info(t(autoApprove ? 'sandbox.not_real.auto' : 'sandbox.not_real'));
}

/** Prints the URL, endpoints, the client and what to paste, then serves until SIGINT / SIGTERM (or `signal`). */
export async function runSandboxCommand(opts: SandboxCommandOptions = {}): Promise<void> {
  const out =
    opts.out ??
    createOutput({
      ...(opts.stdout ? { stdout: opts.stdout } : {}),
      ...(opts.stderr ? { stderr: opts.stderr } : {}),
      ...(opts.env ? { env: opts.env } : {}),
    });
  if (opts.host !== undefined && opts.host !== '127.0.0.1') {
    throw new HandoffError(message('playground.host_not_loopback', { host: opts.host }), { code: CODES.USAGE });
  }
  if (opts.profile !== undefined && !SANDBOX_PROFILE_IDS.includes(opts.profile)) {
    throw new HandoffError(message('playground.unknown_profile', { profile: String(opts.profile), profiles: SANDBOX_PROFILE_IDS.join(', ') }), {
      code: CODES.USAGE,
    });
  }
  if (opts.signal?.aborted) return;
  const secret = await chooseSecret(opts, out);
  const sandbox = await startSandbox({
    profile: opts.profile ?? 'generic',
    host: '127.0.0.1',
    port: opts.port ?? 0,
    autoApprove: opts.autoApprove === true,
    replayRevokesGrant: opts.replayRevokesGrant === true,
    clientSecret: secret.secret,
    deviceGrant: opts.deviceGrant === true,
    confidentialClients: opts.confidentialClients === true,
    ...(opts.redirectPort !== undefined ? { redirectPort: opts.redirectPort } : {}),
    ...(opts.accessTokenTtl !== undefined ? { accessTokenTtl: opts.accessTokenTtl } : {}),
    ...(opts.refreshTokenTtl !== undefined ? { refreshTokenTtl: opts.refreshTokenTtl } : {}),
    ...(opts.codeTtl !== undefined ? { codeTtl: opts.codeTtl } : {}),
    ...(opts.rateLimitPerMinute !== undefined ? { rateLimitPerMinute: opts.rateLimitPerMinute } : {}),
    ...(opts.registeredSecretTtl !== undefined ? { registeredSecretTtl: opts.registeredSecretTtl } : {}),
    ...(opts.clients !== undefined ? { clients: opts.clients } : {}),
  });

  const port = opts.redirectPort !== undefined ? { redirectPort: opts.redirectPort } : {};
  let poll: NodeJS.Timeout | undefined;
  try {
    const shown = secret.origin === 'fixed' || secret.origin === 'argv';
    if (opts.json === true) {
      const { next, device } = playgroundNext(sandbox);
      out.json({
        url: sandbox.url,
        profile: sandbox.profile,
        endpoints: endpointsJson(sandbox.endpoints),
        client: clientJson(sandbox.client, shown),
        variables: Object.fromEntries(playgroundVariables(sandbox, port)),
        next: [...next],
        next_with_device: device.length > 0 ? [...device] : null,
      });
    } else {
      printSummary(sandbox, out, { origin: secret.origin, shown: secret.secret, ...(opts.clientSecretFile ? { file: opts.clientSecretFile } : {}) }, opts.autoApprove === true, port);
    }
    opts.onListening?.(sandbox);

    if (opts.verbose === true) {
      let seen = 0;
      poll = setInterval(() => {
        const entries = sandbox.log();
        if (entries.length < seen) seen = 0; // the log was reset
        for (const e of entries.slice(seen)) out.raw(logLine(e));
        seen = entries.length;
      }, 200);
      poll.unref();
    }

    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        opts.signal?.removeEventListener('abort', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      opts.signal?.addEventListener('abort', stop, { once: true });
      if (opts.signal?.aborted) stop();
    });
  } finally {
    if (poll) clearInterval(poll);
    await sandbox.close();
  }
}
