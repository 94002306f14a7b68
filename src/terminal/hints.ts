import { CODES } from '../errors.js';
import type { HandoffError } from '../errors.js';
import type { Translator } from '../i18n/index.js';
import { english } from '../i18n/index.js';

/** The "what to run next" line the CLI prints under an error, in the user's language. Library messages carry none. */
export function hintFor(e: HandoffError, tr: Translator = english): string | undefined {
  const name = e.credential ?? 'NAME';
  switch (e.key) {
    case 'fleet.lost_empty':
    case 'fleet.lost_reset':
    case 'fleet.back_in_time':
      return tr.t('fleet.hint.restore', { name });
    case 'fleet.damaged':
      return tr.t('fleet.hint.damaged', { name });
    case 'fleet.not_member':
    case 'fleet.not_a_key':
      return tr.t('fleet.hint.members');
    case 'fleet.ioredis_missing':
      return undefined; // the message says what to install
    case 'grant.older':
      return tr.t('grant.hint.older', { name });
    case 'grant.elsewhere':
      return tr.t('grant.hint.elsewhere', { other: String(e.params?.other ?? 'NAME') });
    default:
      break;
  }
  switch (e.code) {
    case CODES.REAUTH_REQUIRED:
      return tr.t('hint.reauth_required', { name });
    case CODES.DECRYPT_FAILED:
      return tr.t('hint.decrypt_failed');
    case CODES.BAD_FILE:
      return tr.t('hint.bad_file');
    case CODES.BAD_KEY:
      return tr.t('hint.bad_key');
    case CODES.PERMISSIONS:
      return tr.t('hint.permissions');
    case CODES.NOT_FOUND:
      return tr.t('hint.not_found');
    case CODES.EXISTS:
      // a credential or an output file; never suggest --force for the machine key: that would orphan every credential
      return /machine key/.test(e.message) ? tr.t('hint.exists_key') : tr.t('hint.exists');
    case CODES.PROVIDER_UNAVAILABLE:
      return tr.t('hint.provider_unavailable');
    case CODES.PROVIDER_ERROR:
      return tr.t('hint.provider_error');
    case CODES.LOCK_TIMEOUT:
      return tr.t('hint.lock_timeout');
    case CODES.STORE_CONFLICT:
      return tr.t('hint.store_conflict');
    case CODES.STORE_UNAVAILABLE:
      return /fleet store/.test(e.message) ? tr.t('hint.store_unavailable_fleet') : tr.t('hint.store_unavailable_dir');
    case CODES.USAGE:
      return tr.t('hint.usage');
    default:
      return undefined;
  }
}
