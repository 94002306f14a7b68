/** `oauth-handoff sandbox`: run a sandbox in the foreground until SIGINT / SIGTERM. */
import { CODES, HandoffError } from '../errors.js';
import { startSandbox } from './server.js';
import { SANDBOX_PROFILE_IDS, type LogEntry, type Sandbox, type SandboxClient, type SandboxProfileId } from './types.js';

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
  /** extra clients to register */
  clients?: SandboxClient[];
  /** stop when aborted (besides SIGINT / SIGTERM) */
  signal?: AbortSignal;
  /** called once the sandbox listens (e.g. by `demo`) */
  onListening?: (sandbox: Sandbox) => void;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

function describe(s: Sandbox): [string, string][] {
  const rows: [string, string][] = [
    ['authorization endpoint', s.endpoints.authorization],
    ['token endpoint', s.endpoints.token],
  ];
  if (s.endpoints.revocation) rows.push(['revocation endpoint', s.endpoints.revocation]);
  if (s.endpoints.issuer) rows.push(['issuer (RFC 8414)', s.endpoints.issuer]);
  if (s.endpoints.tokenInfo) rows.push(['token info', s.endpoints.tokenInfo]);
  rows.push(
    ['protected resource', s.endpoints.api],
    ['client id', s.client.id],
    ['client secret', s.client.secret ?? '(none)'],
    ['redirect URIs', s.client.redirectUris.join(' ')],
  );
  return rows;
}

function logLine(e: LogEntry): string {
  const parts = [e.at, e.method, e.path, String(e.status)];
  if (e.grantType) parts.push(`grant_type=${e.grantType}`);
  if (e.clientId) parts.push(`client=${e.clientId}`);
  if (e.refreshTokenId) parts.push(`refresh=${e.refreshTokenId}`);
  if (e.replay) parts.push('REPLAY');
  if (e.error) parts.push(`error=${e.error}`);
  if (e.fault) parts.push(`fault=${e.fault}`);
  return `oauth-handoff: sandbox: ${parts.join(' ')}\n`;
}

/** Prints the URL, endpoints and the client to use, then serves until SIGINT / SIGTERM (or `signal`). */
export async function runSandboxCommand(opts: SandboxCommandOptions = {}): Promise<void> {
  const out = opts.stdout ?? process.stdout;
  const err = opts.stderr ?? process.stderr;
  if (opts.host !== undefined && opts.host !== '127.0.0.1') {
    throw new HandoffError(`the sandbox binds only to 127.0.0.1, not "${opts.host}"`, { code: CODES.USAGE });
  }
  if (opts.profile !== undefined && !SANDBOX_PROFILE_IDS.includes(opts.profile)) {
    throw new HandoffError(`unknown sandbox profile "${String(opts.profile)}" (one of ${SANDBOX_PROFILE_IDS.join(', ')})`, {
      code: CODES.USAGE,
    });
  }
  if (opts.signal?.aborted) return;
  const sandbox = await startSandbox({
    profile: opts.profile ?? 'generic',
    host: '127.0.0.1',
    port: opts.port ?? 0,
    autoApprove: opts.autoApprove === true,
    replayRevokesGrant: opts.replayRevokesGrant === true,
    ...(opts.accessTokenTtl !== undefined ? { accessTokenTtl: opts.accessTokenTtl } : {}),
    ...(opts.refreshTokenTtl !== undefined ? { refreshTokenTtl: opts.refreshTokenTtl } : {}),
    ...(opts.codeTtl !== undefined ? { codeTtl: opts.codeTtl } : {}),
    ...(opts.rateLimitPerMinute !== undefined ? { rateLimitPerMinute: opts.rateLimitPerMinute } : {}),
    ...(opts.clients !== undefined ? { clients: opts.clients } : {}),
  });

  let poll: NodeJS.Timeout | undefined;
  try {
    if (opts.json === true) {
      out.write(
        JSON.stringify({ url: sandbox.url, profile: sandbox.profile, endpoints: sandbox.endpoints, client: sandbox.client }) + '\n',
      );
    } else {
      const rows = describe(sandbox);
      const w = Math.max(...rows.map(([k]) => k.length));
      out.write(`${sandbox.profile} sandbox listening on ${sandbox.url}\n`);
      for (const [k, v] of rows) out.write(`  ${k.padEnd(w)}  ${v}\n`);
      err.write(
        `oauth-handoff: a local test server: nothing here is real${opts.autoApprove ? ' (approvals are automatic)' : ''}. Press Ctrl+C to stop.\n`,
      );
    }
    opts.onListening?.(sandbox);

    if (opts.verbose === true) {
      let seen = 0;
      poll = setInterval(() => {
        const entries = sandbox.log();
        if (entries.length < seen) seen = 0; // the log was reset
        for (const e of entries.slice(seen)) err.write(logLine(e));
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
