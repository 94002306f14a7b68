import type { resource as en } from '../en/resource.js';
import type { SectionOf } from '../types.js';

export const resource: SectionOf<typeof en> = {
  'resource.not_generic': '--resource は generic プロバイダーで使います（{provider} では使えません）',
  'resource.client_id_missing': 'クライアント ID がありません。--client-id（システムに登録したもの）か、クライアントを自分で登録できるサーバーの --resource / --issuer を指定してください',
  'resource.no_registration': 'クライアント ID がありません。認可サーバー {issuer} は動的クライアント登録（RFC 7591）に対応していないので、そこに登録したクライアントの --client-id を指定してください',
  'resource.registered': '{endpoint} でクライアント {client} を登録しました（RFC 7591）',
  'resource.no_server': '保護リソース {resource} は認可サーバーを挙げていません（RFC 9728 の authorization_servers）',
  'resource.server_not_named': 'リソース {resource} は認可サーバー {issuer} を挙げていません（挙げているのは {servers}）',
  'resource.choose': '{resource} は {count} 個の認可サーバーを挙げています:\n{list}\nどれを使いますか（番号）? ',
  'resource.choose_no_tty': '--issuer で 1 つ選んでください（{servers}）',
  'resource.none_chosen': '認可サーバーが選ばれませんでした',
  'resource.no_s256': '認可サーバー {issuer} は OAuth 2.1 が求める PKCE S256 に対応していません',
  'forget.delete_client_question': '"{name}" は oauth-handoff がサーバーに登録したクライアント（{client}）を使っています。そのクライアントも削除しますか（RFC 7592）? [y/N] ',
  'forget.delete_client_no_tty': '--delete-client か --no-delete-client を指定してください',
  'forget.not_registered': '"{name}" には oauth-handoff が登録したクライアントがありません（登録アクセストークンがありません）。プロバイダーでクライアントを削除してから、--delete-client を付けずに forget してください',
  'forget.client_deleted': '"{name}" のために oauth-handoff が登録したクライアントをサーバーから削除しました（RFC 7592）',
  'forget.client_remains': '"{name}" のために oauth-handoff が登録したクライアントはサーバーに残っています（登録アクセストークンは認証情報とともに消えました）。不要ならサーバーの管理画面で削除してください',
} as const;
