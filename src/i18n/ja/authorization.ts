import type { authorization as en } from '../en/authorization.js';
import type { SectionOf } from '../types.js';

export const authorization: SectionOf<typeof en> = {
  'authorization.redirect.unknown_kind': "--redirect \"{kind}\" は不明です（loopback か oob を指定してください）",
  'authorization.redirect.loopback_vs_oob': "--redirect loopback は、アウトオブバンドの --redirect-uri と矛盾します",
  'authorization.redirect.oob_vs_url': "--redirect oob は、指定された http(s) の --redirect-uri と矛盾します",
  'authorization.redirect.bad_uri': "--redirect-uri \"{uri}\" は http(s) の URL か {oob} でなければなりません",
  'authorization.redirect.no_oob': "{provider} には既知のアウトオブバンドのページがありません。ループバックのリダイレクトを使ってください（登録したとおりの --redirect-uri）",
  'authorization.redirect.exact': "{provider} はリダイレクト URI を完全一致で照合します。システムに登録したとおりの --redirect-uri を指定してください（例: {example}）",
  'authorization.client.unknown_auth': "クライアント認証 \"{method}\" は不明です（使えるのは {methods}）",
  'authorization.client.secret_needed': "{provider} のクライアントにはクライアントシークレットが必要です。--client-secret-file を指定するか、${env} を設定してください",
  'authorization.client.secret_question': "{client} のクライアントシークレット: ",
  'authorization.probe.not_found': '認可エンドポイント {endpoint} は、サインインの前に HTTP {status} を返しました。--site（パスとポート）かエンドポイントのオプションを確認してください',
  'authorization.probe.error_page': '認可エンドポイント {endpoint} は、サインインの前にリクエストを拒否しました（HTTP {status}、{error}）: {description}。クライアント ID と、それに登録したリダイレクト URI を確認してください',
  'authorization.probe.error_redirect': '認可エンドポイント {endpoint} は、サインインの前に {error} を返しました: {description}。クライアント ID、スコープ、それに登録したリダイレクト URI を確認してください',
} as const;
