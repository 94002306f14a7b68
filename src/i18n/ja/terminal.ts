import type { terminal as en } from '../en/terminal.js';
import type { SectionOf } from '../types.js';

export const terminal: SectionOf<typeof en> = {
  'terminal.stdin_too_large': '標準入力が {max} バイトを超えています',
  'terminal.interrupted': '入力を中断しました（Ctrl+C）。何も保存していません',
  'terminal.time_left': '（残り {left}）',
  'terminal.cancelled': '入力が取り消されました',
  'terminal.cancelled_or_timed_out': '入力が取り消されたか、時間切れになりました',
  'terminal.nothing_entered_retry': '何も入力されていません。もう一度入力してください',
  'terminal.nothing_entered': '何も入力されていません',
  'terminal.wrong_secret_one': '{error}。もう一度入力してください（残り 1 回）',
  'terminal.wrong_secret_many': '{error}。もう一度入力してください（残り {count} 回）',
  'terminal.mismatch_retry': '2 回の入力が一致しません。もう一度入力してください',
  'terminal.mismatch': '2 回の入力が一致しません',
  'terminal.weak_passphrase': '警告: このパスフレーズは弱いです（{min} 文字未満か、同じ文字の繰り返し）。ファイルを手に入れた人はオフラインでパスフレーズを試せます。ランダムな単語を 4 つ以上並べると強くなります',
  'terminal.keep_or_stronger': 'このまま使うなら Enter、変えるならより強いものを入力: ',
  'terminal.again': 'もう一度: ',
  'terminal.nothing_entered_thrice': '3 回とも何も入力されませんでした',
  'terminal.mismatch_thrice': '3 回とも 2 回の入力が一致しませんでした',
  'terminal.secret_in_argv': 'コマンドラインで渡した{what}は他のユーザーから（ps で）見え、シェルの履歴にも残ります。{flags} を使ってください',
  'terminal.secret_file_empty': '{what}のファイル {file} が空です',
  'terminal.what.passphrase': 'パスフレーズ',
  'terminal.what.client_secret': 'クライアントシークレット',
  'terminal.what.sandbox_client_secret': 'サンドボックスのクライアントシークレット',
};
