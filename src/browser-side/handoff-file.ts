/**
 * What `authorize` hands over: the Settings built from the token response,
 * sealed to the recipients (machine keys and/or a passphrase).
 */
import { hostname, userInfo } from 'node:os';
import { fingerprint, passphraseRecipient, seal, x25519Recipient } from '../crypto/index.js';
import type { Recipient } from '../crypto/index.js';
import { CODES, HandoffError } from '../errors.js';
import type { ClientConfig, Endpoints, ProviderPreset, TokenSet } from '../oauth/index.js';
import { encodeSettings, SETTINGS_FORMAT, SETTINGS_VERSION, validateSettings } from '../settings-file/index.js';
import type { Settings } from '../settings-file/index.js';
import { resolveSecret } from '../terminal/index.js';
import type { Output } from '../terminal/index.js';
import { VERSION } from '../version.js';

/** The environment variable that may hold the passphrase (the same one `import` reads). */
export const PASSPHRASE_ENV = 'OAUTH_HANDOFF_PASSPHRASE';
/** Shorter passphrases get a warning: the passphrase is all that protects the file in transit. */
export const SHORT_PASSPHRASE = 12;

export interface SettingsInput {
  name: string;
  preset: ProviderPreset;
  site?: string;
  endpoints: Endpoints;
  client: ClientConfig;
  scopes: readonly string[];
  redirectUri?: string;
  tokens: TokenSet;
  /** when the token response arrived, epoch ms */
  obtainedAt: number;
  /** how it was made: 'authorize' */
  via: string;
}

function whoAmI(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

/** RFC 6749 §5.1 token response → validated Settings, with the preset's known refresh-token lifetime. */
export function settingsFromTokens(i: SettingsInput): Settings {
  const at = (ms: number) => new Date(ms).toISOString();
  const t = i.tokens;
  const token: Settings['token'] = { access_token: t.access_token, token_type: t.token_type, obtained_at: at(i.obtainedAt) };
  if (t.expires_in !== undefined) token.expires_at = at(i.obtainedAt + t.expires_in * 1000);
  if (t.refresh_token !== undefined) {
    token.refresh_token = t.refresh_token;
    const said = t.raw.refresh_token_expires_in;
    const seconds = typeof said === 'number' && Number.isFinite(said) && said > 0 ? said : i.preset.lifetimes.refreshTokenSeconds;
    if (seconds !== undefined) token.refresh_token_expires_at = at(i.obtainedAt + seconds * 1000);
  }
  if (t.scope !== undefined) token.scope = t.scope;
  const endpoints: Settings['endpoints'] = { token: i.endpoints.token };
  if (i.endpoints.authorization) endpoints.authorization = i.endpoints.authorization;
  if (i.endpoints.revocation) endpoints.revocation = i.endpoints.revocation;
  if (i.endpoints.device_authorization) endpoints.device_authorization = i.endpoints.device_authorization;
  if (i.endpoints.issuer) endpoints.issuer = i.endpoints.issuer;
  const client: Settings['client'] = { id: i.client.id, auth_method: i.client.auth_method };
  if (i.client.secret !== undefined) client.secret = i.client.secret;
  const settings: Settings = {
    format: SETTINGS_FORMAT,
    version: SETTINGS_VERSION,
    name: i.name,
    provider: i.preset.id,
    endpoints,
    client,
    scopes: [...i.scopes],
    token,
    created: { at: at(i.obtainedAt), by: whoAmI(), host: hostname(), tool: `oauth-handoff ${VERSION}`, via: i.via },
    health: { state: 'ok' },
  };
  if (i.site !== undefined) settings.site = i.site;
  if (i.redirectUri !== undefined) settings.redirect_uri = i.redirectUri;
  return validateSettings(settings);
}

export type RecipientDescription = { type: 'X25519'; fingerprint: string } | { type: 'passphrase' };

export interface ResolvedRecipients {
  recipients: Recipient[];
  described: RecipientDescription[];
}

/**
 * The recipients, resolved before the browser step so that a mistyped key or
 * passphrase never wastes an approval. At least one is required.
 */
export async function resolveRecipients(
  o: { to?: readonly string[]; passphrase?: boolean; passphraseFile?: string; env?: NodeJS.ProcessEnv },
  out: Output,
): Promise<ResolvedRecipients> {
  const recipients: Recipient[] = [];
  const described: RecipientDescription[] = [];
  for (const key of o.to ?? []) {
    recipients.push(x25519Recipient(key));
    described.push({ type: 'X25519', fingerprint: fingerprint(key.trim()) });
  }
  if (o.passphrase || o.passphraseFile !== undefined) {
    const pass = await resolveSecret(
      {
        what: 'passphrase',
        file: o.passphraseFile,
        envName: PASSPHRASE_ENV,
        ...(o.env ? { env: o.env } : {}),
        prompt: { question: 'passphrase to seal the settings file with: ', confirm: true },
        flags: `--passphrase-file or ${PASSPHRASE_ENV}`,
      },
      out,
    );
    if (pass === undefined) throw new HandoffError('no passphrase was given', { code: CODES.USAGE });
    if (pass.length < SHORT_PASSPHRASE) {
      out.warn(`the passphrase has fewer than ${SHORT_PASSPHRASE} characters; it is all that protects the file in transit`);
    }
    recipients.push(passphraseRecipient(pass));
    described.push({ type: 'passphrase' });
  }
  if (recipients.length === 0) {
    throw new HandoffError(
      "say who can open the settings file: --to KEY (the headless machine's public key, printed by `oauth-handoff keygen` there; repeatable) and/or --passphrase",
      { code: CODES.USAGE },
    );
  }
  return { recipients, described };
}

/** Seal settings to the recipients (a fresh file key each time). */
export async function sealSettings(settings: Settings, recipients: readonly Recipient[], now: Date = new Date()): Promise<Uint8Array> {
  return seal(encodeSettings(settings), recipients, { now });
}
