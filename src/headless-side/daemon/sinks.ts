/**
 * Token sinks (`daemon --sink NAME=PATH[,format=…][,mode=…][,group=…][,var=…]`),
 * the way Vault Agent's file sink works: for programs that read a file (a
 * Ruby or Python script, a sidecar, nginx or curl configuration), the
 * daemon writes the credential's current access token to a file, replaced
 * atomically at start and after every refresh, and removed when the
 * credential is forgotten, needs re-authorization or its token expires
 * while refreshes fail, so a stale token never lingers. Only the short-lived
 * access token is written, never the refresh token or a client secret.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, open, readFile, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { promisify } from 'node:util';
import { CODES, HandoffError } from '../../errors.js';
import { message } from '../../i18n/index.js';
import type { Message } from '../../i18n/index.js';
import { NAME_PATTERN } from '../../settings-file/index.js';
import type { Settings } from '../../settings-file/index.js';
import type { Translator } from '../../i18n/index.js';
import { errorText } from './log.js';
import type { DaemonLog } from './log.js';
import type { DaemonObserver } from './runtime.js';

export const SINK_FORMATS = ['token', 'json', 'header', 'env'] as const;
export type SinkFormat = (typeof SINK_FORMATS)[number];
export const DEFAULT_SINK_MODE = 0o600;
export const DEFAULT_SINK_ENV_VAR = 'OAUTH_ACCESS_TOKEN';

export interface SinkSpec {
  /** the credential */
  name: string;
  /** absolute path of the file */
  path: string;
  /**
   * token: the bare access token (no newline); json: {"access_token", "token_type",
   * "expires_at", …}; header: one `Authorization: Bearer …` line (curl -H @FILE);
   * env: VAR=… lines (systemd EnvironmentFile=, `. FILE` in sh)
   */
  format: SinkFormat;
  /** file mode (default 0600) */
  mode: number;
  /** group owning the file (a name or a number; this user must be a member) */
  group?: string;
  /** the variable name in the env format (default OAUTH_ACCESS_TOKEN) */
  envVar?: string;
}

const usage = (m: Message) => new HandoffError(m, { code: CODES.USAGE });

/** `NAME=PATH[,format=token|json|header|env][,mode=0640][,group=GROUP][,var=NAME]` */
export function parseSinkSpec(text: string): SinkSpec {
  const eq = text.indexOf('=');
  if (eq <= 0) throw usage(message('daemon.error.sink.bad_spec', { value: text.slice(0, 80) }));
  const name = text.slice(0, eq);
  if (!NAME_PATTERN.test(name)) throw usage(message('daemon.error.sink.bad_name', { value: name.slice(0, 40) }));
  const [path = '', ...opts] = text.slice(eq + 1).split(',');
  if (!isAbsolute(path)) throw usage(message('daemon.error.sink.relative', { name, path: path.slice(0, 80) }));
  const spec: SinkSpec = { name, path, format: 'token', mode: DEFAULT_SINK_MODE };
  for (const opt of opts) {
    const i = opt.indexOf('=');
    const key = i < 0 ? opt : opt.slice(0, i);
    const value = i < 0 ? '' : opt.slice(i + 1);
    if (key === 'format') {
      if (!(SINK_FORMATS as readonly string[]).includes(value)) throw usage(message('daemon.error.sink.bad_format', { name, formats: SINK_FORMATS.join(', '), value: value.slice(0, 20) }));
      spec.format = value as SinkFormat;
    } else if (key === 'mode') {
      if (!/^0?[0-7]{3}$/.test(value)) throw usage(message('daemon.error.sink.bad_mode', { name, value: value.slice(0, 20) }));
      spec.mode = parseInt(value, 8);
      if (spec.mode & 0o137) throw usage(message('daemon.error.sink.open_mode', { name, value }));
    } else if (key === 'group') {
      if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$/.test(value)) throw usage(message('daemon.error.sink.bad_group', { name, value: value.slice(0, 40) }));
      spec.group = value;
    } else if (key === 'var') {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) throw usage(message('daemon.error.sink.bad_var', { name, value: value.slice(0, 40) }));
      spec.envVar = value;
    } else {
      throw usage(message('daemon.error.sink.unknown_option', { name, option: key.slice(0, 20) }));
    }
  }
  if (spec.envVar !== undefined && spec.format !== 'env') throw usage(message('daemon.error.sink.var_not_env', { name }));
  return spec;
}

/** Token characters an HTTP header and a shell line can carry (RFC 6749 VSCHAR without the space). */
const SAFE_TOKEN = /^[\x21-\x7e]+$/;

/** The file's contents for these settings; undefined when the token cannot be written safely. */
export function renderSink(spec: SinkSpec, s: Settings): string | undefined {
  const token = s.token.access_token;
  if (!SAFE_TOKEN.test(token)) return undefined;
  switch (spec.format) {
    case 'token':
      return token;
    case 'header':
      return `Authorization: Bearer ${token}\n`;
    case 'json': {
      const o: Record<string, string | null> = {
        credential: s.name,
        access_token: token,
        token_type: s.token.token_type,
        expires_at: s.token.expires_at ?? null,
        obtained_at: s.token.obtained_at,
      };
      if (s.token.scope !== undefined) o.scope = s.token.scope;
      return JSON.stringify(o) + '\n';
    }
    case 'env': {
      // single quotes keep $, `, \ and " literal for sh and for systemd's EnvironmentFile=
      if (token.includes("'")) return undefined;
      const v = spec.envVar ?? DEFAULT_SINK_ENV_VAR;
      return `${v}='${token}'\n${v}_EXPIRES_AT='${s.token.expires_at ?? ''}'\n`;
    }
  }
}

const exec = promisify(execFile);

/** A group name or number → its gid (getent knows the groups of NSS, LDAP and files alike). */
export async function resolveGroup(group: string): Promise<number> {
  if (/^\d+$/.test(group)) return Number(group);
  try {
    const { stdout } = await exec('getent', ['group', group], { timeout: 5000 });
    const gid = Number(stdout.split(':')[2]);
    if (Number.isInteger(gid)) return gid;
  } catch {
    // not found, or no getent: try /etc/group
  }
  const line = (await readFile('/etc/group', 'utf8').catch(() => ''))
    .split('\n')
    .find((l) => l.split(':')[0] === group);
  const gid = Number(line?.split(':')[2]);
  if (line !== undefined && Number.isInteger(gid)) return gid;
  throw new HandoffError(message('daemon.error.sink.no_group', { group }), { code: CODES.USAGE });
}

/**
 * A sink's directory must exist, and nobody but its owner (this user or
 * root) may write to it: otherwise another user could swap the file or
 * plant a link where the token is written.
 */
export async function checkSinkDirectory(path: string): Promise<void> {
  const dir = dirname(path);
  let real: string;
  try {
    real = await realpath(dir);
  } catch {
    throw new HandoffError(message('daemon.error.sink.no_dir', { path }), {
      code: CODES.NOT_FOUND,
    });
  }
  const st = await stat(real);
  if (!st.isDirectory()) throw new HandoffError(message('daemon.error.sink.not_dir', { path: real }), { code: CODES.USAGE });
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid && st.uid !== 0) {
    throw new HandoffError(message('daemon.error.sink.dir_owner', { path: real, uid: st.uid, me: uid }), { code: CODES.PERMISSIONS });
  }
  try {
    await access(real, constants.W_OK);
  } catch {
    throw new HandoffError(message('daemon.error.sink.dir_not_writable', { path: real }), { code: CODES.PERMISSIONS });
  }
  if (st.mode & 0o022) {
    throw new HandoffError(
      `the sink directory ${real} is writable by ${st.mode & 0o002 ? 'every user' : 'its group'} (mode ${(st.mode & 0o7777).toString(8).padStart(4, '0')}), so another user could replace the token file; run \`chmod go-w ${real}\` or choose another directory`,
      { code: CODES.PERMISSIONS },
    );
  }
}

/** Write `content` to `path` atomically (a temp file in the same directory, then rename), with this mode and group. */
export async function writeSinkFile(path: string, content: string, mode: number, gid?: number): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(content);
    if (gid !== undefined) await fh.chown(-1, gid);
    await fh.chmod(mode);
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

interface SinkState {
  spec: SinkSpec;
  gid?: number;
  /** one write or removal at a time, in order */
  chain: Promise<void>;
  written: boolean;
}

/** The daemon's sinks: told of every token and every withdrawal (a DaemonObserver). */
export class Sinks implements DaemonObserver {
  private readonly byName = new Map<string, SinkState[]>();
  private readonly log: DaemonLog;

  private constructor(states: SinkState[], log: DaemonLog) {
    this.log = log;
    for (const st of states) {
      const list = this.byName.get(st.spec.name) ?? [];
      list.push(st);
      this.byName.set(st.spec.name, list);
    }
  }

  /** Check every sink's directory and group before the daemon starts; refuse loose directories. */
  static async prepare(specs: SinkSpec[], log: DaemonLog): Promise<Sinks> {
    const seen = new Set<string>();
    const states: SinkState[] = [];
    for (const spec of specs) {
      if (seen.has(spec.path)) throw usage(message('daemon.error.sink.twice', { path: spec.path }));
      seen.add(spec.path);
      await checkSinkDirectory(spec.path);
      const st: SinkState = { spec, chain: Promise.resolve(), written: false };
      if (spec.group !== undefined) st.gid = await resolveGroup(spec.group);
      states.push(st);
    }
    return new Sinks(states, log);
  }

  private run(st: SinkState, fn: () => Promise<void>): void {
    st.chain = st.chain.then(fn).catch((err: unknown) => {
      this.log('error', 'sink_failed', (t) => t.t('daemon.sink_failed', { path: st.spec.path, error: errorText(err, t) }), { name: st.spec.name, path: st.spec.path });
    });
  }

  token(name: string, s: Settings): void {
    for (const st of this.byName.get(name) ?? []) {
      const content = renderSink(st.spec, s);
      if (content === undefined) {
        this.log('error', 'sink_failed', (t) => t.t('daemon.sink_unsafe', { format: st.spec.format, path: st.spec.path }), {
          name,
          path: st.spec.path,
        });
        this.remove(st);
        continue;
      }
      this.run(st, async () => {
        await writeSinkFile(st.spec.path, content, st.spec.mode, st.gid);
        st.written = true;
        this.log('debug', 'sink_written', (t) => t.t('daemon.sink_written', { path: st.spec.path }), { name, path: st.spec.path, format: st.spec.format });
      });
    }
  }

  withdraw(name: string, why: string): void {
    for (const st of this.byName.get(name) ?? []) {
      this.remove(st, () => this.log('info', 'sink_removed', (t) => sinkRemoved(t, st.spec.path, why), { name, path: st.spec.path, reason: why }));
    }
  }

  /** Every credential has been planned: a sink not written by now holds nothing current (a stale file from before). */
  ready(): void {
    for (const list of this.byName.values()) {
      for (const st of list) {
        this.run(st, async () => {
          if (!st.written) await unlink(st.spec.path).catch(() => undefined);
        });
      }
    }
  }

  private remove(st: SinkState, then?: () => void): void {
    this.run(st, async () => {
      st.written = false;
      await unlink(st.spec.path).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
      then?.();
    });
  }

  /** Writes still under way (stop waits for them). */
  pending(): Promise<void>[] {
    return [...this.byName.values()].flat().map((st) => st.chain);
  }
}

function sinkRemoved(t: Translator, path: string, why: string): string {
  if (why === 'expired') return t.t('daemon.sink_removed.expired', { path });
  if (why === 'reauthorization_required') return t.t('daemon.sink_removed.reauthorization_required', { path });
  if (why === 'removed') return t.t('daemon.sink_removed.removed', { path });
  return t.t('daemon.sink_removed.other', { path, reason: why.replaceAll('_', ' ') });
}
