import { CODES } from '../errors.js';
import type { HandoffError } from '../errors.js';

/** The "what to run next" line the CLI prints under an error. Library messages carry none. */
export function hintFor(e: HandoffError): string | undefined {
  const name = e.credential ?? 'NAME';
  switch (e.code) {
    case CODES.REAUTH_REQUIRED:
      return `re-authorize: on a machine with a browser run \`oauth-handoff authorize --name ${name} …\` and import the file here with \`oauth-handoff import FILE --force\`, or run \`oauth-handoff login --paste --name ${name} --force\` here`;
    case CODES.DECRYPT_FAILED:
      return 'check that the file was sealed to this machine\'s key (`oauth-handoff keygen --show` prints it; `oauth-handoff inspect FILE` shows who can open a file) or that the passphrase is right';
    case CODES.BAD_FILE:
      return 'the file is damaged, truncated or not an oauth-handoff settings file; ask for a new one (`oauth-handoff inspect FILE` shows its header)';
    case CODES.BAD_KEY:
      return 'run `oauth-handoff keygen` to make this machine\'s key (or check --store / OAUTH_HANDOFF_HOME)';
    case CODES.PERMISSIONS:
      return 'restrict it: `chmod 600` for files, `chmod 700` for directories; the key opens every credential on this machine';
    case CODES.NOT_FOUND:
      return '`oauth-handoff status` lists the credentials in this store';
    case CODES.EXISTS:
      // a credential or an output file; never suggest --force for the machine key: that would orphan every credential
      return /machine key/.test(e.message)
        ? '`oauth-handoff keygen --show` prints its public key; `keygen --force` makes a new one and every credential sealed to the old key becomes unreadable'
        : 'add --force to replace it';
    case CODES.PROVIDER_UNAVAILABLE:
      return 'check the network and proxy settings (HTTPS_PROXY, NO_PROXY, NODE_EXTRA_CA_CERTS) and try again; the daemon retries by itself';
    case CODES.PROVIDER_ERROR:
      return 'check the client id and secret, scopes and redirect URI registered on the provider (see `oauth-handoff providers`)';
    case CODES.LOCK_TIMEOUT:
      return 'another oauth-handoff process is refreshing this credential; wait and retry, or raise --lock-timeout';
    case CODES.STORE_CONFLICT:
      return 'another host changed it at the same moment and nothing was overwritten; run the command again';
    case CODES.STORE_UNAVAILABLE:
      return /fleet store/.test(e.message)
        ? "check that the fleet store's Redis is running and reachable from this host, then try again; the daemon retries by itself"
        : 'make the store directory writable for this user (or free space on its file system), or choose another with --store, then try again';
    case CODES.USAGE:
      return 'see `oauth-handoff --help`';
    default:
      return undefined;
  }
}
