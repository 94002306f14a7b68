/** グラントの同一性：import、export、status。 */
export const grant = {
  'grant.older':
    'ここにある "{name}" は、同じグラント {grant} のこのファイル（世代 {incoming}）より新しい写し（世代 {stored}）です。このファイルのリフレッシュトークンはすでに置き換えられており、もう一度使うと厳格なサーバーはグラント全体を失効させます。何も変更していません',
  'grant.hint.older':
    '"{name}" の最新のエクスポートを取り込んでください。それでもこの古い写しに戻す場合（プロバイダーをバックアップから戻したときなど）は --allow-older を付けてください',
  'grant.older_replaced':
    '指示どおり（--allow-older）、グラント {grant} の新しい写し（世代 {stored}）をこの古い写し（世代 {incoming}）で置き換えました。プロバイダーがリフレッシュトークンを更新する方式なら、そのリフレッシュトークンは使用済みかもしれません',
  'grant.newer_replaced': '"{name}"（グラント {grant}）を世代 {stored} から世代 {incoming} に更新しました',
  'grant.same': '"{name}" はすでにグラント {grant} のこの写し（世代 {incoming}）を持っています。変更はありません',
  'grant.elsewhere':
    'このファイルのグラント {grant} はすでに "{other}" として保存されています。1 つのグラントに 2 つの名前があると、二重に更新され（互いのリフレッシュトークンを再使用し）、片方の `forget --revoke` がもう片方を黙って終わらせます。何も変更していません',
  'grant.hint.elsewhere': '同じ名前で取り込むか（--name {other}）、先に "{other}" を forget してください。それでも両方の名前を残すなら --allow-duplicate を付けてください',
  'grant.duplicate_kept':
    'グラント {grant} は "{name}" と "{other}" の両方として保存されました。更新するのは片方だけにし（デーモンもスクリプトも 1 つ）、もう片方を使っている間は決して `forget --revoke` しないでください',
  'grant.unknown_order':
    'このファイルにはグラント ID がありません（oauth-handoff 0.1.0 で作成）。保存済みの "{name}" より古いかどうか判断できませんが、指示どおり（--force）置き換えました',
  'grant.other_grant': '"{name}" という認証情報はすでにあり、別のグラント（{grant}）を持っています。何も変更していません',
  'grant.assigned': 'このファイルにはグラント ID がありません（oauth-handoff 0.1.0 で作成）。"{name}" にグラント ID {grant} を付けました。持ち運ぶには改めてエクスポートしてください',
  'grant.exported': '"{name}" をエクスポートしました：グラント {grant}、世代 {generation}',
  'token.space': '"{name}" のアクセストークンに空白が含まれています。Authorization ヘッダーでは安全に運べません。プロバイダーが発行するものを確認してください',
} as const;
