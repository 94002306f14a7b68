/**
 * `oauth-handoff providers [ID]`: the presets, with what to register on each
 * system. Everything printed comes from the preset objects.
 */
import { registerRedirectExample } from '../authorization/index.js';
import { getProvider, PROVIDERS } from '../oauth/index.js';
import type { ProviderPreset } from '../oauth/index.js';
import { createOutput } from '../terminal/index.js';
import type { Output } from '../terminal/index.js';

export interface ProvidersOptions {
  /** one preset only */
  id?: string;
  json?: boolean;
  out?: Output;
  env?: NodeJS.ProcessEnv;
}

const SITE = '{site}';

/** The endpoint templates, with {site} standing for the base URL. */
function endpointTemplates(p: ProviderPreset): Record<string, string> | undefined {
  if (p.endpointSource !== 'site') return undefined;
  const e = p.endpoints(SITE);
  const t: Record<string, string> = {};
  for (const [k, v] of Object.entries(e)) if (typeof v === 'string') t[k] = v;
  return t;
}

/** An example `authorize` command line for the preset. */
export function authorizeExample(p: ProviderPreset): string {
  const parts = ['oauth-handoff authorize', `--provider ${p.id}`];
  parts.push(p.endpointSource === 'site' ? '--site SITE' : '--issuer ISSUER_URL');
  if (!p.redirect.anyPort) parts.push(`--redirect-uri ${registerRedirectExample(p)}`);
  parts.push('--client-id ID', '--to SERVER_PUBLIC_KEY', `-o ${p.id}.ohs`);
  return parts.join(' ');
}

function seconds(s: number | undefined): string {
  if (s === undefined) return 'unknown';
  if (s % 86400 === 0) return `${s / 86400} days`;
  if (s % 3600 === 0) return `${s / 3600} h`;
  return `${s} s`;
}

export function describeProvider(p: ProviderPreset) {
  const endpoints = endpointTemplates(p);
  return {
    id: p.id,
    title: p.title,
    ...(endpoints ? { endpoints } : { endpoints_from: 'explicit options (--authorization-endpoint, --token-endpoint) or --issuer discovery' }),
    client_auth: p.clientAuth,
    client_secret_required: p.clientSecretRequired,
    pkce: p.pkce,
    redirect: {
      register: registerRedirectExample(p),
      loopback_hosts: [...p.redirect.loopbackHosts],
      any_port: p.redirect.anyPort,
      exact_match: p.redirect.exactMatch,
      ...(p.redirect.oobUri ? { out_of_band: p.redirect.oobUri } : {}),
    },
    scopes: { default: [...p.scopes.default], known: [...p.scopes.known] },
    lifetimes: {
      ...(p.lifetimes.accessTokenSeconds !== undefined ? { access_token_seconds: p.lifetimes.accessTokenSeconds } : {}),
      ...(p.lifetimes.refreshTokenSeconds !== undefined ? { refresh_token_seconds: p.lifetimes.refreshTokenSeconds } : {}),
      refresh_token_sliding: p.lifetimes.refreshTokenSliding,
      ...(p.lifetimes.authorizationCodeSeconds !== undefined ? { authorization_code_seconds: p.lifetimes.authorizationCodeSeconds } : {}),
    },
    rotation: p.rotation,
    ...(p.maxRefreshTokensPerUser !== undefined ? { max_refresh_tokens_per_user: p.maxRefreshTokensPerUser } : {}),
    register: [...p.register],
    notes: [...p.notes],
    example: authorizeExample(p),
  };
}

function render(p: ProviderPreset): string {
  const d = describeProvider(p);
  const rows: [string, string][] = [];
  const templates = endpointTemplates(p);
  rows.push([
    'endpoints',
    templates
      ? Object.entries(templates).map(([k, v]) => `${k} ${v}`).join(', ')
      : 'explicit options (--authorization-endpoint, --token-endpoint) or --issuer discovery',
  ]);
  rows.push(['client auth', `${p.clientAuth}${p.clientSecretRequired ? ', secret required' : ', secret optional'}`]);
  rows.push(['PKCE', p.pkce === 'unsupported' ? 'not sent' : `S256 (${p.pkce})`]);
  const rules = [p.redirect.anyPort ? 'any port' : p.redirect.exactMatch ? 'exact match, port included' : 'as registered'];
  if (p.redirect.oobUri) rules.push(`out of band: ${p.redirect.oobUri} (--redirect oob)`);
  rows.push(['redirect URI', `${d.redirect.register} (${rules.join('; ')})`]);
  const scopes = p.scopes.known.length
    ? `default ${p.scopes.default.join(' ') || '(none)'}; known: ${p.scopes.known.join(' ')}`
    : `default ${p.scopes.default.join(' ') || '(none)'}`;
  rows.push(['scopes', scopes]);
  rows.push([
    'lifetimes',
    `access token ${seconds(p.lifetimes.accessTokenSeconds)}; refresh token ${p.lifetimes.refreshTokenSeconds === undefined ? 'no known expiry' : seconds(p.lifetimes.refreshTokenSeconds)}${p.lifetimes.refreshTokenSliding ? ' (restarts at each refresh)' : ''}${p.lifetimes.authorizationCodeSeconds !== undefined ? `; code ${seconds(p.lifetimes.authorizationCodeSeconds)}` : ''}`,
  ]);
  rows.push(['rotation', p.rotation]);
  const w = Math.max(...rows.map(([k]) => k.length));
  const lines = [`${p.id} — ${p.title}`, ...rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`)];
  lines.push('  to register:', ...p.register.map((r) => `    - ${r}`));
  if (p.notes.length) lines.push('  notes:', ...p.notes.map((n) => `    - ${n}`));
  lines.push(`  example: ${d.example}`);
  return lines.join('\n');
}

/** `oauth-handoff providers [ID] [--json]` */
export async function providersCommand(o: ProvidersOptions = {}): Promise<number> {
  const out = o.out ?? createOutput(o.env ? { env: o.env } : {});
  const list = o.id !== undefined ? [getProvider(o.id)] : Object.values(PROVIDERS);
  if (o.json) out.json(o.id !== undefined ? describeProvider(list[0]!) : list.map(describeProvider));
  else out.data(`${list.map(render).join('\n\n')}\n`);
  return 0;
}
