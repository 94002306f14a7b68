import type { sandbox as en } from '../en/sandbox.js';
import type { SectionOf } from '../types.js';

export const sandbox: SectionOf<typeof en> = {
  'sandbox.page.badge': '{profile} サンドボックス',
  'sandbox.page.approve.title': '{client} を承認 – {profile} サンドボックス',
  'sandbox.page.approve.heading': '{client} を承認しますか？',
  'sandbox.page.approve.acts_as': 'アプリケーション {client} が {user} として操作することを求めています。',
  'sandbox.page.approve.any_scope': 'あなたのアカウントへのアクセスを求めています。',
  'sandbox.page.approve.scopes': '求めているスコープ:',
  'sandbox.page.approve.approve': '承認',
  'sandbox.page.approve.deny': '拒否',
  'sandbox.page.error.title': '認可エラー – {profile} サンドボックス',
  'sandbox.page.error.heading': '認可リクエストは拒否されました',
  'sandbox.page.code.title': '認可コード – {profile} サンドボックス',
  'sandbox.page.code.heading': '認可コード:',
  'sandbox.page.code.copy': 'このコードをコピーして、アプリケーションに貼り付けてください。',
  'sandbox.page.index.about': '試用のためのローカルな OAuth 2.0 認可サーバーです。ここにあるものはすべて本物ではありません。',
};
