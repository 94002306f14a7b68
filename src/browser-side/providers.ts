/**
 * `oauth-handoff providers [ID]`: the presets, with what to register on each
 * system. Everything printed comes from the preset objects.
 */
import { registerRedirectExample } from '../authorization/index.js';
import { getProvider, PROVIDERS } from '../oauth/index.js';
import type { ProviderPreset } from '../oauth/index.js';
import { english } from '../i18n/index.js';
import type { Translator } from '../i18n/index.js';
import { createOutput, padEndToWidth, displayWidth } from '../terminal/index.js';
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

function seconds(s: number | undefined, tr: Translator): string {
  if (s === undefined) return tr.t('providers.unknown');
  if (s % 86400 === 0) return tr.t('providers.days', { n: s / 86400 });
  if (s % 3600 === 0) return tr.t('providers.hours', { n: s / 3600 });
  return tr.t('providers.seconds', { n: s });
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
    register: p.register.map((k) => english.render(k)),
    notes: p.notes.map((k) => english.render(k)),
    example: authorizeExample(p),
  };
}

function render(p: ProviderPreset, tr: Translator): string {
  const d = describeProvider(p);
  const rows: [string, string][] = [];
  const templates = endpointTemplates(p);
  rows.push([
    tr.t('providers.row.endpoints'),
    templates ? Object.entries(templates).map(([k, v]) => `${k} ${v}`).join(', ') : tr.t('providers.endpoints.explicit'),
  ]);
  rows.push([tr.t('providers.row.client_auth'), tr.t(p.clientSecretRequired ? 'providers.client_auth.required' : 'providers.client_auth.optional', { method: p.clientAuth })]);
  rows.push(['PKCE', p.pkce === 'unsupported' ? tr.t('providers.pkce.not_sent') : tr.t(`providers.pkce.${p.pkce}`)]);
  const rules = [tr.t(p.redirect.anyPort ? 'providers.redirect.any_port' : p.redirect.exactMatch ? 'providers.redirect.exact' : 'providers.redirect.as_registered')];
  if (p.redirect.oobUri) rules.push(tr.t('providers.redirect.oob', { uri: p.redirect.oobUri }));
  rows.push([tr.t('providers.row.redirect'), `${d.redirect.register} (${rules.join(tr.t('providers.separator'))})`]);
  const defaults = p.scopes.default.join(' ') || tr.t('providers.none');
  rows.push([tr.t('providers.row.scopes'), p.scopes.known.length ? tr.t('providers.scopes.known', { defaults, known: p.scopes.known.join(' ') }) : tr.t('providers.scopes.default', { defaults })]);
  const life = [tr.t('providers.lifetime.access', { duration: seconds(p.lifetimes.accessTokenSeconds, tr) })];
  const rt = p.lifetimes.refreshTokenSeconds;
  if (rt === undefined) life.push(tr.t('providers.lifetime.refresh_none'));
  else life.push(tr.t(p.lifetimes.refreshTokenSliding ? 'providers.lifetime.refresh_sliding' : 'providers.lifetime.refresh', { duration: seconds(rt, tr) }));
  if (p.lifetimes.authorizationCodeSeconds !== undefined) life.push(tr.t('providers.lifetime.code', { duration: seconds(p.lifetimes.authorizationCodeSeconds, tr) }));
  rows.push([tr.t('providers.row.lifetimes'), life.join(tr.t('providers.separator'))]);
  rows.push([tr.t('providers.row.rotation'), tr.t(`providers.rotation.${p.rotation}`)]);
  const w = Math.max(...rows.map(([k]) => displayWidth(k)));
  const lines = [`${p.id} — ${p.title}`, ...rows.map(([k, v]) => `  ${padEndToWidth(k, w)}  ${v}`)];
  lines.push(`  ${tr.t('providers.to_register')}`, ...p.register.map((k) => `    - ${tr.render(k)}`));
  if (p.notes.length) lines.push(`  ${tr.t('providers.notes')}`, ...p.notes.map((k) => `    - ${tr.render(k)}`));
  lines.push(`  ${tr.t('providers.example', { command: d.example })}`);
  return lines.join('\n');
}

/** `oauth-handoff providers [ID] [--json]` */
export async function providersCommand(o: ProvidersOptions = {}): Promise<number> {
  const out = o.out ?? createOutput(o.env ? { env: o.env } : {});
  const list = o.id !== undefined ? [getProvider(o.id)] : Object.values(PROVIDERS);
  if (o.json) out.json(o.id !== undefined ? describeProvider(list[0]!) : list.map(describeProvider));
  else out.data(`${list.map((p) => render(p, out.i18n)).join('\n\n')}\n`);
  return 0;
}
