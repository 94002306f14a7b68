import type { hints as en } from '../en/hints.js';
import type { SectionOf } from '../types.js';

export const hints: SectionOf<typeof en> = {
  'hint.reauth_required': '再認可が必要です。ブラウザのあるマシンで `oauth-handoff authorize --name {name} …` を実行し、できたファイルをここで `oauth-handoff import FILE --force` で取り込むか、ここで `oauth-handoff login --paste --name {name} --force` を実行してください',
  'hint.decrypt_failed': 'ファイルがこのマシンの鍵宛てに暗号化されているか（`oauth-handoff keygen --show` で公開鍵を表示、`oauth-handoff inspect FILE` でファイルを開ける相手を表示）、パスフレーズが正しいかを確認してください',
  'hint.bad_file': 'ファイルが壊れているか、途中で切れているか、oauth-handoff の設定ファイルではありません。新しいファイルをもらってください（`oauth-handoff inspect FILE` でヘッダーを表示できます）',
  'hint.bad_key': '`oauth-handoff keygen` でこのマシンの鍵を作成してください（または --store / OAUTH_HANDOFF_HOME を確認してください）',
  'hint.permissions': '権限を絞ってください。ファイルは `chmod 600`、ディレクトリは `chmod 700` です。この鍵でこのマシンのすべての認証情報を開けます',
  'hint.not_found': '`oauth-handoff status` でこのストアの認証情報を一覧できます',
  'hint.exists_key': '`oauth-handoff keygen --show` で公開鍵を表示します。`keygen --force` は新しい鍵を作り、古い鍵宛ての認証情報はすべて開けなくなります',
  'hint.exists': '置き換えるには --force を付けてください',
  'hint.provider_unavailable': 'ネットワークとプロキシの設定（HTTPS_PROXY、NO_PROXY、NODE_EXTRA_CA_CERTS）を確認して再実行してください。デーモンは自動で再試行します',
  'hint.provider_error': 'プロバイダーに登録したクライアント ID とシークレット、スコープ、リダイレクト URI を確認してください（`oauth-handoff providers` を参照）',
  'hint.lock_timeout': '別の oauth-handoff プロセスがこの認証情報を更新中です。少し待って再実行するか、--lock-timeout を長くしてください',
  'hint.not_sent': 'このマシンが忙しすぎて、更新を時間内に送れませんでした。何も送らず、何も変えていません。コマンドをもう一度実行してください',
  'hint.store_conflict': '別のホストが同時に変更したため、何も上書きしていません。コマンドをもう一度実行してください',
  'hint.store_unavailable_fleet': 'フリートストアの Redis が動いていて、このホストから到達できるかを確認して再実行してください。デーモンは自動で再試行します',
  'hint.store_unavailable_dir': 'ストアのディレクトリにこのユーザーが書き込めるようにするか（またはファイルシステムの空きを増やすか）、--store で別の場所を選んで再実行してください',
  'hint.foreign_response': '何も保存していません。この実行が表示した URL（何度か実行したときは最新のもの）への応答を貼り付けるか、コマンドをもう一度実行して新しい URL で認可してください',
  'hint.reauth_new': '何も保存していません。認可をやり直してください（ここで `oauth-handoff login --paste …`、またはブラウザのあるマシンで `oauth-handoff authorize …`）',
  'hint.bad_stored': '`oauth-handoff import FILE --force` で認証情報を取り込み直すか、`oauth-handoff forget {name}` で壊れた写しを削除してください',
  'hint.fs_access': 'ファイルの所有者として実行するか、このユーザーが読めるようにしてください（`ls -l` で所有者とモードを確認できます）',
  'hint.fs_path': 'パスを確認してください（ディレクトリーではなくファイルです）。`ls -l` で何があるかを確認できます',
  'hint.usage': '`oauth-handoff --help` を参照してください',
};
