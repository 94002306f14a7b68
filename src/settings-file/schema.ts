import { CODES, HandoffError } from '../errors.js';
import { message } from '../i18n/index.js';
import type { Message } from '../i18n/index.js';
import type { ClientAuthMethod } from '../oauth/index.js';

/**
 * The plaintext inside every sealed settings file: versioned JSON, validated
 * on every read. Field names follow OAuth's own (snake_case) so that a token
 * response maps onto them without renaming. Times are RFC 3339 UTC strings.
 */
export const SETTINGS_FORMAT = 'oauth-handoff/settings';
export const SETTINGS_VERSION = 1;

/** Declared once, with the protocol (RFC 8414 §2 names). */
export type { ClientAuthMethod };
export type HealthState = 'ok' | 'reauthorization_required';

export interface SettingsEndpoints {
  authorization?: string;
  token: string;
  revocation?: string;
  device_authorization?: string;
  issuer?: string;
}

export interface SettingsToken {
  access_token: string;
  /** normalised to "Bearer" */
  token_type: string;
  /** when the access token stops working; absent when the server did not say */
  expires_at?: string;
  refresh_token?: string;
  /** known refresh-token expiry (provider facts: Confluence 90 days, Questetra 30 days) */
  refresh_token_expires_at?: string;
  /** scope the server granted, space-separated, when it said */
  scope?: string;
  obtained_at: string;
}

export interface SettingsHealth {
  state: HealthState;
  /** last successful refresh */
  last_refresh_at?: string;
  refresh_count?: number;
  /** a human explanation of the state (never a secret) */
  message?: string;
  /**
   * Set just before a refresh request is sent and cleared when its result is
   * stored. Finding it set on a later read means a process died between
   * sending and storing: the server may have rotated the refresh token.
   */
  refresh_started_at?: string;
  /**
   * With state reauthorization_required: the rejection came in a 2xx response
   * (not a definite one), so the access token is still served until it expires.
   */
  serving_until_expiry?: boolean;
}

/** The client; the last three are kept from a dynamic registration (RFC 7591 §3.2.1, RFC 7592 §3). */
export interface SettingsClient {
  id: string;
  secret?: string;
  auth_method: ClientAuthMethod;
  /** when the client secret stops working (RFC 3339); absent when it does not expire */
  secret_expires_at?: string;
  registration_access_token?: string;
  registration_client_uri?: string;
}

/**
 * The identity of one grant (one authorization), travelling with every copy
 * of it: export, import, fleet stores. Absent in files written by 0.1.0.
 */
export interface SettingsGrant {
  /** random, made when the authorization completed (authorize, login); never changes */
  id: string;
  /** 0 at authorization, one more with every refresh: of two copies of one grant, the higher is newer */
  generation: number;
}

/**
 * RFC 6749 Appendix A VSCHAR (%x20-7E): the only characters an access or
 * refresh token may hold. No CR, LF or other control characters, nothing
 * outside ASCII: a token is put into HTTP headers and printed to terminals.
 */
export const VSCHAR_PATTERN = /^[\x20-\x7e]+$/;

/** A grant id: 16 to 64 base64url characters (a new one is 22: 16 random bytes). */
export const GRANT_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

export interface Settings {
  format: typeof SETTINGS_FORMAT;
  version: typeof SETTINGS_VERSION;
  name: string;
  /** preset id: redmine, backlog, confluence, jira, questetra, generic */
  provider: string;
  site?: string;
  endpoints: SettingsEndpoints;
  client: SettingsClient;
  scopes: string[];
  /** the protected resource the tokens are for: sent as the RFC 8707 resource indicator, refresh included */
  resource?: string;
  redirect_uri?: string;
  token: SettingsToken;
  created: { at: string; by: string; host: string; tool: string; via: string };
  health: SettingsHealth;
  /** which grant this is, and how far it has come (absent in files written by 0.1.0) */
  grant?: SettingsGrant;
}

/** Names become file names and Redis keys: keep them boring. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function assertValidName(name: string): string {
  if (!NAME_PATTERN.test(name)) {
    throw new HandoffError(
      message('store.invalid_name', { name: name.slice(0, 80) }),
      { code: CODES.USAGE },
    );
  }
  return name;
}

type Json = Record<string, unknown>;

/** What a field must be: one whole catalog sentence each ("invalid settings: {path} must be …"). */
const MUST = {
  'must be an object': 'store.schema.object',
  'must be a non-empty string': 'store.schema.non_empty_string',
  'must be a string': 'store.schema.string',
  'must be an absolute URL': 'store.schema.absolute_url',
  'must be an http(s) URL': 'store.schema.http_url',
  'must be an RFC 3339 time (such as 2030-01-31T12:00:00Z)': 'store.schema.time',
  'must be printable ASCII (RFC 6749 VSCHAR): no control characters, line breaks or non-ASCII': 'store.schema.vschar',
  'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit': 'store.schema.name',
  'must be client_secret_basic, client_secret_post or none': 'store.schema.auth_method',
  'must be a list of scope tokens (printable ASCII without spaces, quotes or backslashes)': 'store.schema.scopes',
  'must be "Bearer"': 'store.schema.bearer',
  'must be ok or reauthorization_required': 'store.schema.health_state',
  'must be true or false': 'store.schema.boolean',
  'must be a whole number': 'store.schema.whole_number',
  'must be 16-64 letters, digits, "-" or "_"': 'store.schema.grant_id',
  'must be a URL without spaces or control characters': 'store.schema.url_chars',
  'must be a provider id (lowercase letters, digits, "-" or "_")': 'store.schema.provider_id',
  'must be an identifier without spaces or control characters': 'store.schema.identifier',
  'must be 1-255 printable ASCII characters (RFC 6749 client_id)': 'store.schema.client_id',
  'must be space-separated scope tokens': 'store.schema.scope_tokens',
  'must be a URI without spaces or control characters': 'store.schema.uri_chars',
} as const;

function fail(path: string, what: keyof typeof MUST): never {
  failWith(message(MUST[what], { path }));
}

function failWith(m: Message): never {
  throw new HandoffError(m, { code: CODES.BAD_FILE });
}

function obj(v: unknown, path: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'must be an object');
  return v as Json;
}

function str(o: Json, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length === 0) fail(`${path}.${key}`, 'must be a non-empty string');
  return v;
}

function optStr(o: Json, key: string, path: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') fail(`${path}.${key}`, 'must be a string');
  return v;
}

/** C0 and C1 controls, DEL, and the bidirectional and invisible formatting characters. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
/** RFC 6749 §A.4 scope-token: NQCHAR, no space, no `"` or `\\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
/** RFC 6749 §A.1 client_id: VSCHAR (printable ASCII). */
const CLIENT_ID = /^[\x20-\x7e]{1,255}$/;
/** A preset id (redmine, backlog, confluence, jira, questetra, generic, and later ones). */
const PROVIDER_ID = /^[a-z][a-z0-9_-]{0,31}$/;
/** RFC 3339 §5.6 date-time, as toISOString writes it (with any offset). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
/** URIs and the issuer: printable ASCII without spaces, or non-ASCII letters (an IDN), never a control. */
const URI_CHARS = /^[^\s\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]+$/;
const MAX_TEXT = 1024;

/** One line of text for people (who made it, on which host): no controls, bounded. */
function text(o: Json, key: string, path: string): string {
  const v = str(o, key, path);
  if (CONTROL.test(v) || v.length > MAX_TEXT) failWith(message('store.schema.one_line', { path: `${path}.${key}`, max: MAX_TEXT }));
  return v;
}

function matching(v: string | undefined, pattern: RegExp, path: string, what: keyof typeof MUST): string | undefined {
  if (v !== undefined && !pattern.test(v)) fail(path, what);
  return v;
}

function url(o: Json, key: string, path: string, optional: boolean): string | undefined {
  const v = optional ? optStr(o, key, path) : str(o, key, path);
  if (v === undefined) return undefined;
  // the URL parser drops tabs and newlines silently: the stored text must have none
  matching(v, URI_CHARS, `${path}.${key}`, 'must be a URL without spaces or control characters');
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    fail(`${path}.${key}`, 'must be an absolute URL');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') fail(`${path}.${key}`, 'must be an http(s) URL');
  return v;
}

function time(o: Json, key: string, path: string, optional: boolean): string | undefined {
  const v = optional ? optStr(o, key, path) : str(o, key, path);
  if (v === undefined) return undefined;
  if (!DATE_TIME.test(v) || Number.isNaN(Date.parse(v))) fail(`${path}.${key}`, 'must be an RFC 3339 time (such as 2030-01-31T12:00:00Z)');
  return v;
}

function tokenValue(v: string, key: 'access_token' | 'refresh_token'): string {
  if (!VSCHAR_PATTERN.test(v)) fail(`token.${key}`, 'must be printable ASCII (RFC 6749 VSCHAR): no control characters, line breaks or non-ASCII');
  return v;
}

function put<T extends object, K extends string, V>(target: T, key: K, value: V | undefined): void {
  if (value !== undefined) (target as Record<string, unknown>)[key] = value;
}

/**
 * Validate parsed JSON as settings. Unknown keys are dropped (so a newer
 * minor writer cannot smuggle fields through an older reader's re-seal);
 * an unknown version is refused with a clear message.
 */
export function validateSettings(input: unknown): Settings {
  const o = obj(input, 'settings');
  if (o.format !== SETTINGS_FORMAT) failWith(message('store.schema.format', { path: 'settings.format', format: SETTINGS_FORMAT }));
  if (o.version !== SETTINGS_VERSION) {
    throw new HandoffError(
      message('store.unsupported_version', { version: String(JSON.stringify(o.version)), supported: SETTINGS_VERSION }),
      { code: CODES.BAD_FILE },
    );
  }
  const name = str(o, 'name', 'settings');
  // a bad name inside a file is a bad file, not a bad argument
  if (!NAME_PATTERN.test(name)) fail('settings.name', 'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit');
  const provider = matching(str(o, 'provider', 'settings'), PROVIDER_ID, 'settings.provider', 'must be a provider id (lowercase letters, digits, "-" or "_")') as string;

  const e = obj(o.endpoints, 'settings.endpoints');
  const endpoints: SettingsEndpoints = { token: url(e, 'token', 'endpoints', false) as string };
  put(endpoints, 'authorization', url(e, 'authorization', 'endpoints', true));
  put(endpoints, 'revocation', url(e, 'revocation', 'endpoints', true));
  put(endpoints, 'device_authorization', url(e, 'device_authorization', 'endpoints', true));
  put(endpoints, 'issuer', matching(optStr(e, 'issuer', 'endpoints'), URI_CHARS, 'endpoints.issuer', 'must be an identifier without spaces or control characters'));

  const c = obj(o.client, 'settings.client');
  const auth = c.auth_method;
  if (auth !== 'client_secret_basic' && auth !== 'client_secret_post' && auth !== 'none') {
    fail('client.auth_method', 'must be client_secret_basic, client_secret_post or none');
  }
  const client: Settings['client'] = {
    id: matching(str(c, 'id', 'client'), CLIENT_ID, 'client.id', 'must be 1-255 printable ASCII characters (RFC 6749 client_id)') as string,
    auth_method: auth,
  };
  put(client, 'secret', optStr(c, 'secret', 'client'));
  put(client, 'secret_expires_at', time(c, 'secret_expires_at', 'client', true));
  put(client, 'registration_access_token', optStr(c, 'registration_access_token', 'client'));
  put(client, 'registration_client_uri', url(c, 'registration_client_uri', 'client', true));
  if (auth !== 'none' && client.secret === undefined) failWith(message('store.schema.secret_required', { path: 'client.secret', method: auth }));

  if (!Array.isArray(o.scopes) || !o.scopes.every((s) => typeof s === 'string' && SCOPE_TOKEN.test(s))) {
    fail('settings.scopes', 'must be a list of scope tokens (printable ASCII without spaces, quotes or backslashes)');
  }

  const t = obj(o.token, 'settings.token');
  const token: SettingsToken = {
    access_token: tokenValue(str(t, 'access_token', 'token'), 'access_token'),
    // RFC 6750: the only type this tool sends; the scheme is case-insensitive (RFC 6749 §7.1), stored as "Bearer"
    token_type: /^bearer$/i.test(str(t, 'token_type', 'token')) ? 'Bearer' : fail('token.token_type', 'must be "Bearer"'),
    obtained_at: time(t, 'obtained_at', 'token', false) as string,
  };
  put(token, 'expires_at', time(t, 'expires_at', 'token', true));
  const refreshToken = optStr(t, 'refresh_token', 'token');
  put(token, 'refresh_token', refreshToken === undefined ? undefined : tokenValue(refreshToken, 'refresh_token'));
  put(token, 'refresh_token_expires_at', time(t, 'refresh_token_expires_at', 'token', true));
  put(token, 'scope', matching(optStr(t, 'scope', 'token'), /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/, 'token.scope', 'must be space-separated scope tokens'));

  const cr = obj(o.created, 'settings.created');
  const created: Settings['created'] = {
    at: time(cr, 'at', 'created', false) as string,
    by: text(cr, 'by', 'created'),
    host: text(cr, 'host', 'created'),
    tool: text(cr, 'tool', 'created'),
    via: text(cr, 'via', 'created'),
  };

  const h = o.health === undefined ? { state: 'ok' } : obj(o.health, 'settings.health');
  if (h.state !== 'ok' && h.state !== 'reauthorization_required') fail('health.state', 'must be ok or reauthorization_required');
  const health: SettingsHealth = { state: h.state };
  put(health, 'last_refresh_at', time(h, 'last_refresh_at', 'health', true));
  put(health, 'message', optStr(h, 'message', 'health'));
  put(health, 'refresh_started_at', time(h, 'refresh_started_at', 'health', true));
  if (h.serving_until_expiry !== undefined) {
    if (typeof h.serving_until_expiry !== 'boolean') fail('health.serving_until_expiry', 'must be true or false');
    if (h.serving_until_expiry) health.serving_until_expiry = true;
  }
  if (h.refresh_count !== undefined) {
    if (!Number.isSafeInteger(h.refresh_count) || (h.refresh_count as number) < 0) fail('health.refresh_count', 'must be a whole number');
    health.refresh_count = h.refresh_count as number;
  }

  const settings: Settings = {
    format: SETTINGS_FORMAT,
    version: SETTINGS_VERSION,
    name,
    provider,
    endpoints,
    client,
    scopes: [...(o.scopes as string[])],
    token,
    created,
    health,
  };
  put(settings, 'site', url(o, 'site', 'settings', true));
  put(settings, 'redirect_uri', matching(optStr(o, 'redirect_uri', 'settings'), URI_CHARS, 'settings.redirect_uri', 'must be a URI without spaces or control characters'));
  put(settings, 'resource', url(o, 'resource', 'settings', true));
  if (o.grant !== undefined) {
    const g = obj(o.grant, 'settings.grant');
    const id = str(g, 'id', 'grant');
    if (!GRANT_ID_PATTERN.test(id)) fail('grant.id', 'must be 16-64 letters, digits, "-" or "_"');
    if (!Number.isSafeInteger(g.generation) || (g.generation as number) < 0) fail('grant.generation', 'must be a whole number');
    settings.grant = { id, generation: g.generation as number };
  }
  return settings;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeSettings(settings: Settings): Uint8Array {
  return encoder.encode(JSON.stringify(validateSettings(settings)));
}

export function decodeSettings(bytes: Uint8Array): Settings {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(bytes));
  } catch (cause) {
    throw new HandoffError(message('store.payload_not_json'), { code: CODES.BAD_FILE, cause });
  }
  return validateSettings(parsed);
}

/** What `token --json` prints (the fast path and `token` in full alike); an unknown expiry is null. */
export function tokenJson(token: SettingsToken): { access_token: string; token_type: string; expires_at: string | null } {
  return { access_token: token.access_token, token_type: token.token_type, expires_at: token.expires_at ?? null };
}

/** Seconds the access token has left at `now` (Infinity when the server gave no expiry). */
export function secondsLeft(token: SettingsToken, now: number): number {
  if (token.expires_at === undefined) return Number.POSITIVE_INFINITY;
  return (Date.parse(token.expires_at) - now) / 1000;
}
