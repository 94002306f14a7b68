/**
 * The short pages the loopback listener answers the browser with. English
 * first, then Japanese: most users of the seed systems read Japanese first.
 * The pages never show the code, the state or anything else from the query.
 */

/** Text from the terminal's side (an error message) made safe for the page. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function page(title: string, heading: string, en: string, ja: string, kind: 'ok' | 'error'): string {
  const colour = kind === 'ok' ? '#006644' : '#bf2600';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
  body { font: 16px/1.6 system-ui, sans-serif; background: #f4f5f7; color: #172b4d; margin: 0; }
  main { max-width: 34rem; margin: 4rem auto; background: #fff; border-radius: 8px; padding: 2rem;
         box-shadow: 0 1px 4px rgba(0,0,0,.15); }
  h1 { font-size: 1.4rem; margin-top: 0; color: ${colour}; }
  .tool { font-size: .8rem; color: #6b778c; letter-spacing: .05em; }
</style>
</head>
<body>
<main>
<p class="tool">oauth-handoff</p>
<h1 id="result" data-result="${kind}">${heading}</h1>
<p id="message">${en}</p>
<p id="message-ja" lang="ja">${ja}</p>
</main>
</body>
</html>
`;
}

/** The one valid callback, received for someone else to use (relay): nothing here knows yet whether it works. */
export const SUCCESS_PAGE = page(
  'oauth-handoff: authorization received',
  'Authorization received',
  'You can close this tab and return to the terminal.',
  '認可を受け取りました。このタブを閉じてかまいません。ターミナルに戻ってください。',
  'ok',
);

/** The code was exchanged and the tokens received: only then does the page say it worked. */
export const AUTHORIZED_PAGE = page(
  'oauth-handoff: authorized',
  'Authorized',
  'oauth-handoff received the tokens. You can close this tab and return to the terminal.',
  'oauth-handoff がトークンを受け取りました。このタブを閉じてかまいません。ターミナルに戻ってください。',
  'ok',
);

/**
 * The redirect arrived, but exchanging its code failed (a wrong client
 * secret, an expired code…): the page says so, with the server's words and
 * what to do, instead of a success the terminal then contradicts.
 */
export function exchangeFailedPage(message: string, hint: string | undefined): string {
  const what = escapeHtml(message);
  const next = hint ? ` ${escapeHtml(hint)}` : '';
  return page(
    'oauth-handoff: authorization failed',
    'Authorization failed',
    `The approval reached oauth-handoff, but exchanging the code for tokens failed: ${what}.${next} Nothing was stored. Fix this, then run the command again; the terminal shows the same.`,
    `承認は oauth-handoff に届きましたが、コードをトークンに交換できませんでした: ${what}。${next} 何も保存していません。原因を直してから、もう一度コマンドを実行してください（ターミナルにも同じ内容が表示されています）。`,
    'error',
  );
}

/** The provider answered with an error (access_denied, invalid_scope…): the terminal says more. */
export const PROVIDER_ERROR_PAGE = page(
  'oauth-handoff: authorization not granted',
  'Authorization not granted',
  'The authorization server answered with an error. The terminal shows what it said and what to do. You can close this tab.',
  '認可サーバーがエラーを返しました。内容と対処はターミナルに表示されています。このタブを閉じてかまいません。',
  'error',
);

/** A callback whose state is wrong or missing: refused, the listener keeps waiting. */
export const WRONG_STATE_PAGE = page(
  'oauth-handoff: redirect refused',
  'This redirect was refused',
  'It does not belong to the authorization in progress (its state is wrong or missing), so it was not used. If you started oauth-handoff more than once, approve in the tab the newest run opened.',
  'このリダイレクトは実行中の認可のものではないため（state が一致しないか、ありません）、使用しませんでした。oauth-handoff を複数回起動した場合は、最新の実行が開いたタブで承認してください。',
  'error',
);

/** A callback that carries neither a code nor an error. */
export const NO_CODE_PAGE = page(
  'oauth-handoff: redirect refused',
  'This redirect was refused',
  'It carries no authorization code.',
  'このリダイレクトには認可コードがありません。',
  'error',
);

/** Anything after the one accepted callback. */
export const ALREADY_DONE_PAGE = page(
  'oauth-handoff: already received',
  'Already received',
  'This authorization was already received; this request was not used. You can close this tab.',
  'この認可はすでに受け取り済みです。このリクエストは使用しませんでした。このタブを閉じてかまいません。',
  'error',
);

export const NOT_FOUND_PAGE = page(
  'oauth-handoff: not found',
  'Not found',
  'Nothing is served here.',
  'ここには何もありません。',
  'error',
);

export const BAD_HOST_PAGE = page(
  'oauth-handoff: refused',
  'Refused',
  'This request was not addressed to a loopback host name.',
  'このリクエストはループバックのホスト名宛てではありません。',
  'error',
);
