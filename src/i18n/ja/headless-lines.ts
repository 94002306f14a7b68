import type { headlessLines as en } from '../en/headless-lines.js';
import type { SectionOf } from '../types.js';

export const headlessLines: SectionOf<typeof en> = {
  'paste.question.code': '認可コード（またはページのアドレス）: ',
  'paste.question.landed': 'ブラウザが移動した先のアドレス: ',
  'paste.nothing_pasted.s': '{n} 秒以内に何も貼り付けられませんでした',
  'paste.nothing_pasted.min': '{n} 分以内に何も貼り付けられませんでした',
  'paste.nothing_usable.s': '{n} 秒以内に使えるものが貼り付けられませんでした',
  'paste.nothing_usable.min': '{n} 分以内に使えるものが貼り付けられませんでした',
  'paste.no_stdin.s': '{n} 秒以内に標準入力からコードも URL も届きませんでした',
  'paste.no_stdin.min': '{n} 分以内に標準入力からコードも URL も届きませんでした',
  'paste.code_rejected': '認可コードが拒否されました（invalid_grant）。打ち間違い、使用済み、期限切れ、または別のログインのコードです。何も保存していません',
  'paste.code_rejected.ttl': '認可コードが拒否されました（invalid_grant）。打ち間違い、使用済み、期限切れ（{provider} のコードの有効期間は {ttl} 秒）、または別のログインのコードです。何も保存していません',
  'paste.code_rejected.said': '認可コードが拒否されました（invalid_grant、サーバーの説明: {server}）。打ち間違い、使用済み、期限切れ、または別のログインのコードです。何も保存していません',
  'paste.code_rejected.said_ttl': '認可コードが拒否されました（invalid_grant、サーバーの説明: {server}）。打ち間違い、使用済み、期限切れ（{provider} のコードの有効期間は {ttl} 秒）、または別のログインのコードです。何も保存していません',
};
