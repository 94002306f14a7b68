import type { credential as en } from '../en/credential.js';
import type { SectionOf } from '../types.js';

export const credential: SectionOf<typeof en> = {
  'credential.no_refresh_token': '認証情報「{name}」にはリフレッシュトークンがないため、更新できません',
  'credential.endpoint_timeout': 'トークンエンドポイントが {seconds} 秒以内に応答しませんでした（今のアクセストークンはまだ有効です）',
  'credential.endpoint_no_answer': 'トークンエンドポイントが {seconds} 秒以内に応答しませんでした',
  'credential.not_sent': '「{name}」の更新は送信していません: 開始の記録にこのプロセスが {seconds} 秒かかり（CPU を得られなかったか、ストアが遅かった）、予約した時間内に送れなくなりました',
  'credential.bad_token_chars': 'トークンエンドポイントが RFC 6749 の VSCHAR 以外の文字（制御文字、改行、非 ASCII）を含む {field} を返したため、保存していません',
  'credential.store_url_kind': '{scheme}:// のストア URL には対応していません（対応しているのは redis:// と rediss:// です）',
  'credential.write_back_env_only': '設定の書き戻しは、環境変数から読んだ認証情報でのみ使えます',
  'credential.reauth': '認証情報「{name}」は再認可が必要です。プロバイダーがリフレッシュトークンを拒否しました',
  'credential.reauth_serving': '認証情報「{name}」は再認可が必要です。プロバイダーがリフレッシュトークンを拒否しました。アクセストークンは期限の {expires_at} まで使えます',
  'credential.reauth_why': '認証情報「{name}」は再認可が必要です: {why}',
  'credential.reauth_why_serving': '認証情報「{name}」は再認可が必要です: {why}。アクセストークンは期限の {expires_at} まで使えます',
};
