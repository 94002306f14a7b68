import type { handoff as en } from '../en/handoff.js';
import type { SectionOf } from '../types.js';

export const handoff: SectionOf<typeof en> = {
  'handoff.open_url': '任意の端末のブラウザでこの URL を開き、サインインして承認してください:',
  'handoff.open_url_qr': '任意の端末のブラウザでこの URL を開き（または QR コードを読み取り）、サインインして承認してください:',
  'handoff.open_url_here': 'このマシンのブラウザでこの URL を開き、アクセスを承認してください:',
  'handoff.open_url_here_qr': 'このマシンのブラウザでこの URL を開いて（またはスマートフォンで QR コードを読み取り、移動先のアドレスをここに貼り付けて）アクセスを承認してください:',
  'handoff.relay': 'または oauth-handoff のあるノート PC で次を実行してください。URL を開いてリダイレクトを受け取り、ここに貼り付ける行を表示します:',
  'handoff.relay_short': "または oauth-handoff のあるノート PC で oauth-handoff relay '<上の URL>' を実行し、表示された行をここに貼り付けてください",
  'handoff.after_loopback':
    '承認するとブラウザは {at}?code=… に移動し、接続エラーを表示します。これは想定どおりです。アドレスバーのアドレス全体をコピーして、ここに貼り付けてください。',
  'handoff.after_oob': '承認するとページに認可コードが表示されます。コピーしてここに貼り付けてください（そのページのアドレスでもかまいません）。',
  'handoff.code_lifetime': '{system} の認可コードは承認から {seconds} 秒で失効します。すぐに貼り付けてください',
  'handoff.waiting_paste': '最長 {duration}（{until} まで）待ちます。コードは届きしだい交換します',
  'handoff.device_enter_code': 'ブラウザのある任意の端末で {uri} を開き、次のコードを入力してください:',
  'handoff.device_open_complete': 'または、コード入りの次のアドレスを開いてください:',
  'handoff.device_open_complete_qr': 'または、コード入りの次のアドレスを開いてください（QR コードの読み取りでもかまいません）:',
  'handoff.device_waiting': '承認を最長 {duration}（{until} まで）待ちます。やめるときは Ctrl-C を押してください',
  'wait.left': '残り {time}（Ctrl+C で中止）',
  'wait.approval': 'oauth-handoff: 承認を待っています:',
  'handoff.waiting_limit': '最長 {duration}（{until} まで）待ちます',
  'handoff.fresh_authorization': '認可をやり直しますか（新しい URL になります。ほかは変わりません）？ [Y/n] ',
  'handoff.code_lifetime_retry': '{system} の認可コードは承認から {seconds} 秒で失効します。この端末を手元に用意して承認し、すぐにコードを貼り付けてください',
  'wait.lock': '別の oauth-handoff プロセスが "{name}" をリフレッシュしています。最長 {duration} 待ちます（--lock-timeout）',
  'cli.option.not_number': '--{option} には数値を指定してください（"{value}" は数値ではありません）',
  'cli.option.not_duration': '--{option} には 30（秒）、30s、15m、12h、7d のような時間を指定してください（"{value}" は使えません）',
  'cli.option.not_whole': '--{option} には整数を指定してください（"{value}" は整数ではありません）',
  'cli.option.too_small': '--{option} は {min} 以上にしてください（"{value}" は小さすぎます）',
  'cli.option.not_above': '--{option} は {min} より大きくしてください（"{value}" は使えません）',
  'cli.option.github_output_renamed': '--output NAME は --github-output NAME になりました（ほかのコマンドの -o/--output はファイル名です）',
  'cli.store.password_visible': '--store に含まれる Redis のパスワードは、このマシンのほかのユーザーから見えます（ps）。$OAUTH_HANDOFF_REDIS_PASSWORD か、URL 全体を $OAUTH_HANDOFF_STORE で渡してください',
  'cli.store.prefix_without_fleet': '--redis-prefix はフリートストア（--store redis://… または $OAUTH_HANDOFF_STORE）でのみ使えます',
} as const;
