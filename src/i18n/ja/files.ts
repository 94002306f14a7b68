import type { files as en } from '../en/files.js';
import type { SectionOf } from '../types.js';

export const files: SectionOf<typeof en> = {
  'fs.not_exist': '{what} {path} がありません',
  'fs.is_dir': '{what} {path} はファイルではなくディレクトリです',
  'fs.no_read_access': '{what} {path} をこのユーザーは読めません（{why}）',
  'fs.cannot_read': '{what} {path} を読めません（{why}）',
  'fs.cannot.create': '{path} を作成できません: {why}',
  'fs.cannot.write': '{path} に書き込めません: {why}',
  'fs.cannot.remove': '{path} を削除できません: {why}',
  'fs.cannot.sync': '{path} をディスクに同期できません: {why}',
  'fs.cannot.lock': '{path} をロックできません: {why}',
  'fs.why.eacces': '権限がありません',
  'fs.why.eperm': '操作が許可されていません',
  'fs.why.erofs': 'ファイルシステムが読み取り専用です',
  'fs.why.enospc': 'デバイスに空きがありません',
  'fs.why.edquot': 'ディスクのクォータを使い切りました',
  'fs.why.eio': '入出力エラーです',
  'fs.why.enoent': '存在しません',
  'fs.why.enotdir': 'パスの途中がディレクトリではありません',
  'fs.why.eisdir': 'ディレクトリです',
  'fs.what.settings_file': '設定ファイル',
  'fs.what.key_file': '鍵ファイル',
  'fs.what.credential_file': '認証情報「{name}」のファイル',
  'fs.what.passphrase_file': 'パスフレーズのファイル',
  'fs.what.client_secret_file': 'クライアントシークレットのファイル',
};
