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
};
