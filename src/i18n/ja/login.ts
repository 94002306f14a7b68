import type { login as en } from '../en/login.js';
import type { SectionOf } from '../types.js';

export const login: SectionOf<typeof en> = {
  'login.key_made': 'このマシンの鍵を作りました（{path}）',
  'login.mode_device': 'サーバーはデバイス認可グラント（RFC 8628）に対応しています: --device を使います（コードを貼り付けるなら --paste を付けてください）',
  'login.mode_paste': 'サーバーはデバイス認可グラントに対応していません: --paste を使います',
  'login.summary': '"{name}" として login --{mode}: {provider}（{where}）、クライアント {client}',
  'login.summary_scopes': '"{name}" として login --{mode}: {provider}（{where}）、クライアント {client}、スコープ {scopes}',
  'login.no_refresh': 'サーバーはリフレッシュトークンを発行しませんでした。アクセストークンの期限が切れたら、もう一度 login を実行してください',
  'login.token_cap': '{provider} はユーザー・クライアントごとにリフレッシュトークンを最大 {count} 個しか保持しません。同じクライアントでそれ以上認可すると、最も古い許可が黙って失効します',
  'login.stored': '"{name}" を{store}に保存しました',
  'login.slow_down': 'サーバーからポーリングを遅くするよう求められました: これからは {seconds} 秒ごとです',
  'login.unavailable': 'トークンエンドポイントが応答しません。{seconds} 秒後にもう一度試します',
  'login.bad_paste_one': '{message}。もう一度どうぞ（残り 1 回、{until} まで）',
  'login.bad_paste_many': '{message}。もう一度どうぞ（残り {count} 回、{until} まで）',
};
