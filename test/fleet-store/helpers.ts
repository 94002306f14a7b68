/**
 * Fleet tests: a real redis-server (Debian's /usr/bin/redis-server) on
 * 127.0.0.1, one per test, on a random free port in a temp dir, stopped by
 * PID in teardown; and "hosts": separate local stores (separate machine keys)
 * that share it.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { Redis } from 'ioredis';
import { openRedisStore } from '../../src/fleet-store/index.js';
import type { RedisStore } from '../../src/fleet-store/index.js';
import { createMachineKey, storeLayout } from '../../src/settings-file/index.js';
import type { Settings } from '../../src/settings-file/index.js';
import { BIN, ROOT, cleanEnv, collect, tempDir } from '../helpers/cli.js';
import type { CliResult } from '../helpers/cli.js';
import { settingsFrom } from '../helpers/fixtures.js';
import { startOidcProvider } from '../helpers/oidc-server.js';
import { startSandbox } from '../../src/sandbox/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import type { OidcProviderOptions, OidcServer } from '../helpers/oidc-server.js';
import { freePort } from '../helpers/net.js';

export const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

export interface TestRedis {
  port: number;
  url: string;
  dir: string;
  /** a client for looking inside (closed in teardown) */
  client: Redis;
  /** stop the server (SIGTERM, or SIGKILL) and wait for it to exit */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** start it again on the same port and dir */
  start(): Promise<void>;
  /** calls per command since the server started or stats were reset (INFO commandstats) */
  commandStats(): Promise<Record<string, number>>;
}


async function waitForPing(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const c = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    c.on('error', () => undefined);
    try {
      await c.connect();
      if ((await c.ping()) === 'PONG') {
        c.disconnect();
        return;
      }
    } catch {
      // not yet
    }
    c.disconnect();
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server on port ${port} did not answer within ${timeoutMs} ms`);
}

/**
 * A redis-server for one test. `persist`: append-only file with fsync on every
 * write, so a restart keeps the data; otherwise nothing is saved.
 */
export async function startRedis(t: ExecutionContext, o: { persist?: boolean; args?: string[] } = {}): Promise<TestRedis> {
  const dir = await tempDir(t, 'oh-redis-');
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--daemonize', 'no', '--logfile', join(dir, 'redis.log')];
  args.push(...(o.persist ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']), ...(o.args ?? []));
  let proc: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const p = spawn(REDIS_SERVER, args, { stdio: 'ignore' });
    proc = p;
    await waitForPing(port);
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    const p = proc;
    proc = undefined;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise<void>((r) => p.once('exit', () => r()));
    p.kill(signal);
    await exited;
  };
  await start();
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: (n) => (n > 50 ? null : 100) });
  client.on('error', () => undefined);
  await client.connect();
  t.teardown(async () => {
    client.disconnect();
    await stop('SIGKILL');
  });
  return {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    dir,
    client,
    stop,
    start,
    async commandStats() {
      const info = await client.info('commandstats');
      const stats: Record<string, number> = {};
      for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) stats[m[1] as string] = Number(m[2]);
      return stats;
    },
  };
}

export interface TestHost {
  label: string;
  home: string;
  publicKey: string;
  /** an environment for CLI processes of this host: its own home, the fleet store in OAUTH_HANDOFF_STORE */
  env: NodeJS.ProcessEnv;
  /** the fleet store as this host sees it (closed in teardown) */
  store(): Promise<RedisStore>;
}

/** A simulated host: its own local store and machine key. */
export async function makeHost(t: ExecutionContext, storeUrl: string, label: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<TestHost> {
  const base = await tempDir(t, `oh-host-${label}-`);
  const home = join(base, 'home');
  const key = await createMachineKey(storeLayout(home));
  const opened: RedisStore[] = [];
  t.teardown(() => Promise.all(opened.map((s) => s.close())));
  const env = cleanEnv(base, { OAUTH_HANDOFF_HOME: home, OAUTH_HANDOFF_STORE: storeUrl, ...extraEnv });
  return {
    label,
    home,
    publicKey: key.publicKey,
    env,
    async store() {
      const s = await openRedisStore({ url: storeUrl, home, hostLabel: label, env });
      opened.push(s);
      return s;
    },
  };
}

/** Put `settings` into the fleet store, sealed to every host (the first one sets the fleet up). */
export async function seedFleet(hosts: TestHost[], ...settings: Settings[]): Promise<void> {
  const first = await (hosts[0] as TestHost).store();
  for (const h of hosts) await first.addMember(h.publicKey, { label: h.label });
  for (const s of settings) await first.withWriteLock(s.name, () => first.write(s));
}

export interface TokenCall {
  grantType?: string;
  status: number;
  error?: string;
}

export interface GatedProvider {
  oidc: OidcServer;
  /** the relay in front of oidc-provider's token endpoint: what the settings use */
  tokenEndpoint: string;
  /** every POST /token, in order */
  tokenCalls: TokenCall[];
  refreshes(): TokenCall[];
  /** hold every token request until release() */
  hold(): void;
  release(): void;
  /** does oidc-provider accept this access token (userinfo)? */
  isValid(accessToken: string): Promise<boolean>;
}

/**
 * oidc-provider (rotating refresh tokens; a replay revokes the whole grant)
 * behind a small HTTP relay on its token endpoint: the relay can hold token
 * requests, and logs each one (grant type, status, OAuth error).
 */
export async function startGatedProvider(t: ExecutionContext, o: OidcProviderOptions = {}): Promise<GatedProvider> {
  const oidc = await startOidcProvider(o);
  t.teardown(() => oidc.close());
  const tokenCalls: TokenCall[] = [];
  let gate: Promise<void> = Promise.resolve();
  let open: () => void = () => undefined;
  const relay = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        await gate;
        const headers: Record<string, string> = {};
        for (const h of ['authorization', 'content-type', 'accept']) if (typeof req.headers[h] === 'string') headers[h] = req.headers[h] as string;
        const upstream = await fetch(`${oidc.issuer}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, ...(req.method === 'POST' ? { body } : {}) });
        const text = await upstream.text();
        if (req.method === 'POST' && (req.url ?? '').startsWith('/token')) {
          const call: TokenCall = { status: upstream.status };
          const grantType = new URLSearchParams(body).get('grant_type');
          if (grantType) call.grantType = grantType;
          try {
            const error = (JSON.parse(text) as { error?: string }).error;
            if (error) call.error = error;
          } catch {
            // not JSON
          }
          tokenCalls.push(call);
        }
        res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
        res.end(text);
      })().catch(() => {
        res.destroy();
      });
    });
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  const relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
  t.teardown(() => {
    open();
    relay.closeAllConnections();
    return new Promise<void>((r) => relay.close(() => r()));
  });
  return {
    oidc,
    tokenEndpoint: `${relayUrl}/token`,
    tokenCalls,
    refreshes: () => tokenCalls.filter((c) => c.grantType === 'refresh_token'),
    hold() {
      gate = new Promise<void>((r) => (open = r));
    },
    release() {
      open();
      gate = Promise.resolve();
    },
    async isValid(accessToken: string) {
      const res = await fetch(`${oidc.issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
      await res.arrayBuffer();
      return res.status === 200;
    },
  };
}

/**
 * A fresh grant at the provider, as settings whose access token is due for a
 * refresh (expires in `validFor` s, 30 by default). While it is valid, `token`
 * gives the refresh request half of what is left (up to 10 s less): that is
 * also the time a fleet host reserves for it.
 */
export async function dueSettings(p: GatedProvider, name = 'svc', validFor = 30): Promise<Settings> {
  const tokens = await p.oidc.obtainTokens();
  const source = { endpoints: { ...p.oidc.endpoints, token: p.tokenEndpoint }, client: p.oidc.client };
  return settingsFrom(source, { ...tokens, expires_in: 3600 }, { name, now: Date.now() - 3600_000 + validFor * 1000 });
}

/** `oauth-handoff ARGS` as one host, in a process group of its own (killed in teardown). */
export function spawnHostCli(t: ExecutionContext, host: TestHost, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...host.env, ...env }, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  });
  return child;
}

export function runHostCli(t: ExecutionContext, host: TestHost, args: string[], o: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  return collect(spawnHostCli(t, host, args, o.env), { timeoutMs: o.timeoutMs ?? 30_000 });
}

/** Wait (bounded) until `check` holds. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000, stepMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** The sandbox (generic profile) as a strict server: a replayed refresh token revokes the grant. Closed in teardown. */
export async function strictSandbox(t: ExecutionContext): Promise<Sandbox> {
  const s = await startSandbox({ profile: 'generic', replayRevokesGrant: true });
  t.teardown(() => s.close());
  return s;
}

/** A fresh grant at the sandbox as settings whose access token is valid for `validFor` more seconds (negative: expired). */
export async function sandboxCredential(s: Sandbox, name: string, validFor: number): Promise<Settings> {
  const grant = await s.mintGrant();
  return settingsFrom(s, { ...grant, expires_in: 3600 }, { name, now: Date.now() - (3600 - validFor) * 1000 });
}

export interface TokenRelay {
  /** the relay's token endpoint (put it in the settings instead of the server's) */
  tokenEndpoint: string;
  /** token requests that have reached the relay so far (counted on arrival, before they are held) */
  arrivals(): number;
  /** hold every token request from now on until release() */
  hold(): void;
  release(): void;
}

/**
 * A small HTTP relay in front of a server's token endpoint that can hold the
 * requests open (a server slow to answer) and says when one has arrived: the
 * moment a refresh is on the wire. Closed in teardown.
 */
export async function startTokenRelay(t: ExecutionContext, upstreamTokenEndpoint: string): Promise<TokenRelay> {
  let arrived = 0;
  let gate: Promise<void> = Promise.resolve();
  let open: () => void = () => undefined;
  const relay = createHttpServer((req, res) => {
    arrived++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        await gate;
        const headers: Record<string, string> = {};
        for (const h of ['authorization', 'content-type', 'accept']) if (typeof req.headers[h] === 'string') headers[h] = req.headers[h] as string;
        const upstream = await fetch(upstreamTokenEndpoint, { method: 'POST', headers, body: Buffer.concat(chunks) });
        const text = await upstream.text();
        res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
        res.end(text);
      })().catch(() => {
        res.destroy();
      });
    });
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  t.teardown(() => {
    open();
    relay.closeAllConnections();
    return new Promise<void>((r) => relay.close(() => r()));
  });
  return {
    tokenEndpoint: `http://127.0.0.1:${(relay.address() as AddressInfo).port}/token`,
    arrivals: () => arrived,
    hold() {
      gate = new Promise<void>((r) => (open = r));
    },
    release() {
      open();
      gate = Promise.resolve();
    },
  };
}
