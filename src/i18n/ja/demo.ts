import type { demo as en } from '../en/demo.js';
import type { SectionOf } from '../types.js';

export const demo: SectionOf<typeof en> = {
  'demo.intro': 'oauth-handoff demo: 引き渡しの全体を、このマシンの中でローカルのサンドボックスを相手に実行します。127.0.0.1 の外には何も送りません。',
  'demo.step': '{n}. {title}',
  'demo.1.title': 'サンドボックスの認可サーバーを起動します（Redmine のプロファイル、承認は自動）。',
  'demo.1.why': 'あなたの Redmine の代わりです。実際に使うときは Redmine にアプリケーションを登録します（`oauth-handoff providers redmine`）。',
  'demo.2.title': 'ヘッドレスマシンの鍵を作ります: `oauth-handoff keygen`（サーバーで実行）。',
  'demo.2.why': '設定ファイルを開けるのはこの鍵だけです。ノート PC に必要なのは公開鍵の側だけです。',
  'demo.3.title': '「ノート PC」で認可します: `{command}`。',
  'demo.3.why': '本来はブラウザが承認ページを開きます。ここでは HTTP リクエストが自動承認をたどり、ループバックのリスナーが認可コードを受け取ります。',
  'demo.3.wrote': '暗号化した設定ファイルを書き出しました（{bytes} バイト、モード 0600、サーバーの鍵宛て）',
  'demo.4.title': '「サーバー」で取り込みます: `oauth-handoff import demo.ohs`。',
  'demo.4.why': 'マシンの鍵でファイルを開き、認証情報をその鍵宛てに暗号化して保存します。スクリプトとデーモンからすぐ使えます。',
  'demo.5.title': 'スクリプトと同じように使います: `oauth-handoff token {name}`。',
  'demo.5.why': 'トークンだけを表示します（ここでは短縮表示）。期限が近ければ先に更新します。',
  'demo.5.result': '{token}（サンドボックスの API の応答: {status}）',
  'demo.6.title': '今すぐ更新します: `oauth-handoff refresh {name}`（デーモンは期限の前にこれを行います）。',
  'demo.6.why': 'Redmine はリフレッシュトークンをローテーションします。新しいアクセストークンが使われる前に、新しいリフレッシュトークンを保存します。',
  'demo.6.result': '新しいアクセストークン {token}（API の応答: {status}）',
  'demo.6.result_rotated': '新しいアクセストークン {token}、新しいリフレッシュトークンを保存しました（API の応答: {status}）',
  'demo.7.title': '状態を確認します: `oauth-handoff status`。',
  'demo.7.why': 'すべての認証情報の有効期限、リフレッシュトークンの期限、最後の更新、状態を表示します。監視には `--json` を使います。',
  'demo.done': '{seconds} 秒で完了しました。一時的なストアとサンドボックスはこれから削除します。',
  'demo.next': '次は: `oauth-handoff providers` で Redmine、Backlog、Confluence、Jira、Questetra に登録する内容を確認できます。',
};
