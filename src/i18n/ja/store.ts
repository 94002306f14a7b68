import type { store as en } from '../en/store.js';
import type { SectionOf } from '../types.js';

export const store: SectionOf<typeof en> = {
  'store.not_found': '{dir} に認証情報「{name}」はありません',
  'store.perm.owner.store_dir':
    'ストアのディレクトリ {path} は別のユーザー（uid {owner}）の所有で、このユーザー（uid {uid}）のものではありません。自分のものなら `chown {uid} {path}` を実行し、そうでなければ自分用のストアを使ってください',
  'store.perm.owner.credentials_dir':
    '認証情報のディレクトリ {path} は別のユーザー（uid {owner}）の所有で、このユーザー（uid {uid}）のものではありません。自分のものなら `chown {uid} {path}` を実行し、そうでなければ自分用のストアを使ってください',
  'store.perm.owner.key_file':
    '鍵ファイル {path} は別のユーザー（uid {owner}）の所有で、このユーザー（uid {uid}）のものではありません。自分のものなら `chown {uid} {path}` を実行し、そうでなければ自分用のストアを使ってください',
  'store.perm.owner.credential_file':
    '認証情報「{name}」のファイル {path} は別のユーザー（uid {owner}）の所有で、このユーザー（uid {uid}）のものではありません。自分のものなら `chown {uid} {path}` を実行し、そうでなければ自分用のストアを使ってください',
  'store.perm.writable.store_dir': 'ストアのディレクトリ {path} はグループまたは他のユーザーが書き込めます（モード {mode}）。`chmod {want} {path}` を実行してください',
  'store.perm.writable.credentials_dir': '認証情報のディレクトリ {path} はグループまたは他のユーザーが書き込めます（モード {mode}）。`chmod {want} {path}` を実行してください',
  'store.perm.writable.key_file': '鍵ファイル {path} はグループまたは他のユーザーが書き込めます（モード {mode}）。`chmod {want} {path}` を実行してください',
  'store.perm.writable.credential_file': '認証情報「{name}」のファイル {path} はグループまたは他のユーザーが書き込めます（モード {mode}）。`chmod {want} {path}` を実行してください',
  'store.perm.readable.store_dir': 'ストアのディレクトリ {path} はグループまたは他のユーザーが読めます（モード {mode}）。`chmod {want} {path}` を実行してください',
  'store.perm.readable.credentials_dir': '認証情報のディレクトリ {path} はグループまたは他のユーザーが読めます（モード {mode}）。`chmod {want} {path}` を実行してください',
  'store.perm.readable.key_file': '鍵ファイル {path} はグループまたは他のユーザーが読めます（モード {mode}）。`chmod {want} {path}` を実行してください',
  'store.perm.readable.credential_file': '認証情報「{name}」のファイル {path} はグループまたは他のユーザーが読めます（モード {mode}）。`chmod {want} {path}` を実行してください',
  'store.lock_timeout.credential': '認証情報「{name}」のロックを {seconds} 秒待ちましたが、取得できませんでした',
  'store.lock_timeout.credential_held': '認証情報「{name}」のロックを {seconds} 秒待ちましたが、取得できませんでした（{host} のプロセス {pid} が保持しています）',
  'store.lock_timeout.settings_file': '設定ファイル {path} のロックを {seconds} 秒待ちましたが、取得できませんでした',
  'store.lock_timeout.settings_file_held': '設定ファイル {path} のロックを {seconds} 秒待ちましたが、取得できませんでした（{host} のプロセス {pid} が保持しています）',
  'store.lock_timeout.daemon': 'デーモンのロックを {seconds} 秒待ちましたが、取得できませんでした',
  'store.lock_timeout.daemon_held': 'デーモンのロックを {seconds} 秒待ちましたが、取得できませんでした（{host} のプロセス {pid} が保持しています）',
  'store.no_secret': '{where} を開く鍵もパスフレーズも指定されていません',
  'store.not_this_one': '{where} にあるのは認証情報「{have}」で、「{asked}」ではありません',
  'store.file_too_large': '{path} は設定ファイルとしては大きすぎます',
  'store.cannot_open': '保存されている認証情報「{name}」（{path}）を開けません: {detail}',
  'store.remove_file_instead': '認証情報「{name}」は設定ファイル {path} そのものです。ファイルを削除してください',
  'store.no_settings_file': '{path} に設定ファイルがありません',
  'store.env_not_set': '{variable} が設定されていません。アーマー形式の設定ブロックを入れてください',
  'store.env_no_secret': '{key_variable} も {passphrase_variable} も設定されていません。{variable} を開くにはどちらかが必要です',
  'store.write_back_failed': '更新した設定を {path} に書き込めません: {detail}',
  'store.write_back_failed_rotated': '更新した設定を {path} に書き込めません: {detail}。プロバイダーがリフレッシュトークンを置き換えたため、{variable} にあるものはもう使えない可能性があります',
  'store.env_cannot_remove': '認証情報「{name}」は {variable} から来ているため、削除できません',
  'store.no_key': 'このマシンにはまだ鍵がありません（{path}）',
  'store.key_not_dir': '{path} に鍵がありません。{home} がディレクトリではありません',
  'store.key_exists': '{path} にマシンの鍵がすでにあります',
  'store.invalid_name': '認証情報の名前「{name}」は使えません。英字・数字・"."・"_"・"-" の 1〜64 文字で、英字か数字で始めてください',
  'store.unsupported_version': '設定のバージョン {version} には対応していません（この oauth-handoff が読めるのはバージョン {supported} です。oauth-handoff を更新してください）',
  'store.payload_not_json': '設定が不正です: 復号した内容が JSON ではありません',
};
