import type { fleet as en } from '../en/fleet.js';
import type { SectionOf } from '../types.js';

export const fleet: SectionOf<typeof en> = {
  'fleet.lost_empty':
    'フリートストア {store} から "{name}" が失われました。ストアが空です（Redis がデータなしで再起動したか、消去されました）。このホストが最後に見たのはバージョン {version}（{at}）で、その写しを保持しています',
  'fleet.lost_reset':
    'フリートストア {store} から "{name}" が失われました。ストアはその後リセットされ、書き直されています（Redis がデータなしで再起動したか、消去されました）。このホストが最後に見たのはバージョン {version}（{at}）で、その写しを保持しています',
  'fleet.back_in_time':
    'フリートストア {store} が過去に戻っています。"{name}" はそこではバージョン {version} ですが、このホストは {at} にバージョン {seen} を見ています（Redis を古いスナップショットから戻しましたか？）。そのリフレッシュトークンは古い可能性があり、このホストは新しい写しを保持しています',
  'fleet.damaged':
    'フリートストア {store} の "{name}" は壊れているか、改ざんされています（{detail}）。このホストの鍵 {fingerprint} 宛てに封をされているのに、その鍵で開けません',
  'fleet.not_member': '{key} はフリートストア {store} のメンバーではありません',
  'fleet.not_a_key': '"{key}" は公開鍵（ohpub1…）でも 16 桁の鍵フィンガープリントでもありません',
  'fleet.ioredis_missing':
    'フリートストア（{store}）には Redis クライアント ioredis が必要ですが、インストールされていません。oauth-handoff をインストールした場所で `npm install ioredis` を実行してください（グローバルインストールなら `npm install -g ioredis`）',
  'fleet.link.not_available': 'フリートストア {store} は利用できません: {reply}',
  'fleet.link.noperm': 'フリートストア {store} はこの Redis ユーザーのコマンドを拒否しました（{reply}）。ACL で docs/ja/fleet.md に挙げたコマンドを許可してください',
  'fleet.link.login_refused': 'フリートストア {store} はログインを拒否しました（{reply}）',
  'fleet.link.error_reply': 'フリートストア {store} がエラーを返しました: {reply}',
  'fleet.link.unreachable': 'フリートストア {store} に接続できません（{why}）',
  'fleet.hint.login_refused': 'Redis のユーザーとパスワードを確かめてください。ユーザーはストアの URL（redis://USER@HOST:PORT/DB）、パスワードは OAUTH_HANDOFF_REDIS_PASSWORD か OAUTH_HANDOFF_STORE の URL にあります（docs/ja/fleet.md の「ストアの場所」）。Redis サーバーの ACL（`ACL LIST`）と照らし合わせてください',
  'fleet.hint.noperm': 'この Redis ユーザーに docs/ja/fleet.md（「1. Redis」）の ACL を設定してから、もう一度実行してください',
  'fleet.hint.restore': 'このホストの写しの方が新しいので、`oauth-handoff fleet restore {name}` で書き戻してください（docs/ja/fleet.md の「Redis が再起動したとき」）',
  'fleet.hint.damaged':
    '誰も意図して変更していないなら、写しが無事なメンバーのホストから `oauth-handoff fleet restore {name} --force` で正しい写しを書き戻し、この Redis に書き込める者を調べてください',
  'fleet.hint.members': '`oauth-handoff fleet members` でメンバーの鍵とフィンガープリントを一覧できます',
};
