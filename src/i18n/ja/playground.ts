import type { playground as en } from '../en/playground.js';
import type { SectionOf } from '../types.js';

export const playground: SectionOf<typeof en> = {
  'playground.host_not_loopback': 'サンドボックスは 127.0.0.1 にだけバインドします（"{host}" ではなく）',
  'playground.unknown_profile': 'サンドボックスのプロファイル "{profile}" は不明です（{profiles} のいずれか）',
  'playground.demo_http_status': 'サンドボックスが認可リクエストに HTTP {status} を返しました',
  'playground.demo_no_token': 'token コマンドが何も出力しませんでした',
  'cli.unknown_shell': 'シェル "{shell}" は不明です（completion bash または completion zsh）',
  'cli.exec_options': '{message}: コマンド名の後のオプションは oauth-handoff 自身のものとして読まれます。コマンドの前に -- を置いてください（oauth-handoff exec NAME -- CMD ARGS…）',
};
