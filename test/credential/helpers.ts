/**
 * A token endpoint on 127.0.0.1 that answers what each test tells it to
 * (well or badly, on purpose), and a store holding one credential for it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExecutionContext } from 'ava';
import { tempDir } from '../helpers/cli.js';
import { settingsFrom, storeWith } from '../helpers/fixtures.js';
import type { FileStore, Settings } from '../../src/settings-file/index.js';

export type Answer = (req: http.IncomingMessage, res: http.ServerResponse, form: URLSearchParams) => void;

export interface TokenEndpoint {
  url: string;
  /** refresh requests seen, in order (their refresh_token) */
  refreshes: string[];
  /** replace the answer for the next requests */
  answer(a: Answer): void;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

/** A token endpoint answering `answer`; stopped by the test's teardown. */
export async function tokenEndpoint(t: ExecutionContext, answer: Answer): Promise<TokenEndpoint> {
  let current = answer;
  const refreshes: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      if (form.get('grant_type') === 'refresh_token') refreshes.push(form.get('refresh_token') ?? '');
      current(req, res, form);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/token`,
    refreshes,
    answer: (a) => {
      current = a;
    },
  };
}

/** A store (with its machine key) holding one credential `svc` for the endpoint, whose token has `secondsLeft` left. */
export async function storeFor(
  t: ExecutionContext,
  endpoint: TokenEndpoint,
  o: { secondsLeft?: number; lifetime?: number; edit?: (s: Settings) => Settings } = {},
): Promise<{ store: FileStore; home: string; base: string }> {
  const base = await tempDir(t);
  const home = `${base}/store`;
  const lifetime = o.lifetime ?? 3600;
  const now = Date.now() - (lifetime - (o.secondsLeft ?? lifetime)) * 1000;
  let s = settingsFrom(
    { endpoints: { token: endpoint.url }, client: { id: 'client-1', secret: 'secret-1' } },
    { access_token: 'old-access', token_type: 'Bearer', expires_in: lifetime, refresh_token: 'old-refresh' },
    { name: 'svc', now },
  );
  if (o.edit) s = o.edit(s);
  const store = await storeWith(home, s);
  return { store, home, base };
}
