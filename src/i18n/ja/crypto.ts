import type { crypto as en } from '../en/crypto.js';
import type { SectionOf } from '../types.js';

export const crypto: SectionOf<typeof en> = {
  'crypto.no_identity': 'ファイルの宛先に一致する鍵もパスフレーズもありません',
  'crypto.header_mac': 'ヘッダーの MAC が一致しません（ファイルが改ざんされたか、壊れています）',
  'crypto.payload_auth': '本体の認証に失敗しました（ファイルが改ざんされたか、壊れています）',
  'crypto.x25519_open': 'この鍵宛ての X25519 スタンザを開けません（鍵が違うか、ファイルが改ざんされています）',
  'crypto.wrong_passphrase': 'パスフレーズが違います',
};
