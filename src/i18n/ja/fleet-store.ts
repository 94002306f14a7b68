import type { fleetStore as en } from '../en/fleet-store.js';
import type { SectionOf } from '../types.js';

export const fleetStore: SectionOf<typeof en> = {
  'fleet_store.not_member_sealed':
    'フリートストア {store} の「{name}」はこのホストの鍵 {fingerprint} 宛てに暗号化されていません。このホストはフリートのメンバーではありません（宛先: {sealed_to}）',
  'fleet_store.not_member_sealed_none':
    'フリートストア {store} の「{name}」はこのホストの鍵 {fingerprint} 宛てに暗号化されていません。このホストはフリートのメンバーではありません（X25519 の鍵宛てではありません）',
  'fleet_store.no_cached_copy_after':
    '{cause}。このホストには「{name}」のキャッシュもありません',
  'fleet_store.not_found':
    'フリートストア {store} に認証情報「{name}」はありません',
  'fleet_store.unreachable':
    'フリートストア {store} に到達できません',
  'fleet_store.members_changing':
    '「{name}」を書き込む間、フリートストア {store} のメンバー一覧が変わり続けました',
  'fleet_store.kept_here':
    '{cause}。「{name}」の新しいトークンをストアに保存できませんでした。このホストが保持し、次にストアに到達したときに書き戻します',
  'fleet_store.cannot_remove_now':
    '{cause}。今は「{name}」を削除できません',
  'fleet_store.conflict':
    'このホストがリースを保持している間に、フリートストア {store} の「{name}」が別のホストに変更されました（期待したバージョン {expected}、実際は {found}）。何も上書きしていません',
  'fleet_store.not_holder':
    'フリートストア {store} の「{name}」: 更新を送ろうとしたとき、このホストはもうリースを保持していないか、別のホストの更新が進行中でした。何も書き込まず、送信もしていません',
  'fleet_store.offline.no_expiry':
    '{cause}。今は「{name}」を更新も変更もできません。このホストのキャッシュは有効期限が不明です',
  'fleet_store.offline.valid_until':
    '{cause}。今は「{name}」を更新も変更もできません。このホストのキャッシュは {expires_at} まで有効です',
  'fleet_store.offline.expired':
    '{cause}。今は「{name}」を更新も変更もできません。このホストのキャッシュは {expires_at} に期限切れになりました',
  'fleet_store.no_cache':
    'このホストにはフリートストア {store} の「{name}」のキャッシュがありません',
  'fleet_store.lease_timeout':
    'フリートストア {store} の「{name}」のリースを待ちましたが、時間切れになりました',
  'fleet_store.lease_timeout_held':
    'フリートストア {store} の「{name}」のリースを待ちましたが、時間切れになりました（{host} のプロセス {pid} が保持しています）',
  'fleet_store.last_member':
    '{fingerprint} はフリートストア {store} の最後のメンバーです。削除すると認証情報を開ける人がいなくなります',
};
