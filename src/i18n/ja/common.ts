import type { common as en } from '../en/common.js';
import type { SectionOf } from '../types.js';

export const common: SectionOf<typeof en> = {
  'cli.error': 'エラー: {message}',
  'cli.warning': '警告:',
  'ci.rotated_lost': 'プロバイダーが "{name}" のリフレッシュトークンを置き換えました。新しいものはこのプロセスの中にしかなく、ジョブが終わると失われます。{variable} にあるものはもう使えないかもしれません。--write-back FILE を使い、FILE をシークレットとして保存し直してください',
  'cli.bug': 'oauth-handoff の不具合と思われます。OAUTH_HANDOFF_DEBUG=1 を付けて再実行し、表示された内容を報告してください（トークンは表示されません）',
  'cli.lang.invalid': '--lang には "en" か "ja" を指定してください（指定された値: "{value}"）',
  'duration.ms': '{n} ミリ秒',
  'duration.s': '{n} 秒',
  'duration.min': '{n} 分',
  'duration.h_min': '{h} 時間 {min} 分',
  'duration.d': '{n} 日',
  'duration.in': '{duration}後',
  'duration.ago': '{duration}前',
};
