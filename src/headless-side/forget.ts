import { openStore } from '../credential/index.js';
import { CODES, HandoffError } from '../errors.js';
import { clientDeleteRequest, createHttpClient, processClientDeleteResponse, processRevocationResponse, revocationRequest } from '../oauth/index.js';
import { message } from '../i18n/index.js';
import { openTty, promptLine } from '../terminal/index.js';
import type { Output } from '../terminal/index.js';
import { USER_AGENT } from '../version.js';
import type { CommonOptions } from './common.js';
import { outputOf } from './common.js';

export interface ForgetOptions extends CommonOptions {
  name: string;
  /** revoke the grant at the provider first (RFC 7009), where it has an endpoint */
  revoke?: boolean;
  /**
   * also delete a client oauth-handoff registered at the server (RFC 7592 §2.3):
   * true deletes, false keeps it, undefined asks on a terminal with --revoke (no terminal: keeps it)
   */
  deleteClient?: boolean;
  /** the yes/no question (default: on the terminal; false without one) */
  confirm?: (question: string) => Promise<boolean>;
  lockTimeoutMs?: number;
}

/** `oauth-handoff forget NAME [--revoke]` */
export async function forgetCommand(o: ForgetOptions): Promise<number> {
  const out = outputOf(o);
  const store = await openStore(o);
  let revoked = false;
  let clientDeleted = false;
  let registered = false;
  let deleteClient = o.deleteClient;
  if (deleteClient === undefined && o.revoke) {
    const peek = await store.read(o.name);
    if (peek.client.registration_access_token !== undefined && peek.client.registration_client_uri !== undefined) {
      deleteClient = await (o.confirm ?? ((q) => askYesNo(q, out)))(out.t('forget.delete_client_question', { name: o.name, client: peek.client.id }));
    }
  }
  await store.withWriteLock(
    o.name,
    async () => {
      const s = await store.read(o.name);
      if (o.revoke) {
        if (!s.endpoints.revocation) {
          throw new HandoffError(message('forget.no_revocation', { name: o.name, provider: s.provider }), {
            code: CODES.USAGE,
            credential: o.name,
          });
        }
        const http = await createHttpClient({ userAgent: USER_AGENT });
        const token = s.token.refresh_token ?? s.token.access_token;
        const hint = s.token.refresh_token ? 'refresh_token' : 'access_token';
        processRevocationResponse(await revocationRequest(http, s.endpoints, s.client, token, hint));
        revoked = true;
      }
      const { registration_access_token: rat, registration_client_uri: uri } = s.client;
      registered = rat !== undefined && uri !== undefined;
      if (deleteClient) {
        if (rat === undefined || uri === undefined) {
          throw new HandoffError(message('forget.not_registered', { name: o.name }), { code: CODES.USAGE, credential: o.name });
        }
        const http = await createHttpClient({ userAgent: USER_AGENT });
        processClientDeleteResponse(await clientDeleteRequest(http, uri, rat));
        clientDeleted = true;
      }
      await store.remove(o.name);
    },
    { timeoutMs: o.lockTimeoutMs },
  );
  if (o.json) out.json({ name: o.name, forgotten: true, revoked, client_deleted: clientDeleted });
  else {
    out.info(out.t(revoked ? 'forget.done_revoked' : 'forget.done', { name: o.name }));
    if (clientDeleted) out.info(out.t('forget.client_deleted', { name: o.name }));
    else if (registered) out.warn(out.t('forget.client_remains', { name: o.name }));
  }
  return 0;
}

/** A yes/no question on the terminal; no terminal means no. */
async function askYesNo(question: string, out: Output): Promise<boolean> {
  const tty = openTty();
  if (!tty) return false;
  tty.close();
  const answer = await promptLine(question, { noTtyHint: out.t('forget.delete_client_no_tty') });
  return /^y(es)?$/i.test(answer.trim());
}
