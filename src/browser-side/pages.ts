/**
 * The short pages the loopback listener answers the browser with, in the
 * CLI's language (the person who ran the command reads both). The pages
 * never show the code, the state or anything else from the query.
 */
import { english } from '../i18n/index.js';
import type { MessageKey, Translator } from '../i18n/index.js';

/** Text from the terminal's side (an error message) made safe for the page. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function page(tr: Translator, title: string, heading: string, text: string, kind: 'ok' | 'error'): string {
  const colour = kind === 'ok' ? '#006644' : '#bf2600';
  return `<!doctype html>
<html lang="${tr.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
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
<h1 id="result" data-result="${kind}">${escapeHtml(heading)}</h1>
<p id="message">${text}</p>
</main>
</body>
</html>
`;
}

type Fixed = 'received' | 'authorized' | 'provider_error' | 'wrong_state' | 'no_code' | 'already' | 'not_found' | 'bad_host';

const FIXED: Record<Fixed, { title: MessageKey; heading: MessageKey; text: MessageKey; kind: 'ok' | 'error' }> = {
  /** the one valid callback, received for someone else to use (relay): nothing here knows yet whether it works */
  received: { title: 'page.received.title', heading: 'page.received.heading', text: 'page.received.text', kind: 'ok' },
  /** the code was exchanged and the tokens received: only then does the page say it worked */
  authorized: { title: 'page.authorized.title', heading: 'page.authorized.heading', text: 'page.authorized.text', kind: 'ok' },
  /** the provider answered with an error (access_denied, invalid_scope…): the terminal says more */
  provider_error: { title: 'page.provider_error.title', heading: 'page.provider_error.heading', text: 'page.provider_error.text', kind: 'error' },
  /** a callback whose state is wrong or missing: refused, the listener keeps waiting */
  wrong_state: { title: 'page.refused.title', heading: 'page.refused.heading', text: 'page.wrong_state.text', kind: 'error' },
  /** a callback that carries neither a code nor an error */
  no_code: { title: 'page.refused.title', heading: 'page.refused.heading', text: 'page.no_code.text', kind: 'error' },
  /** anything after the one accepted callback */
  already: { title: 'page.already.title', heading: 'page.already.heading', text: 'page.already.text', kind: 'error' },
  not_found: { title: 'page.not_found.title', heading: 'page.not_found.heading', text: 'page.not_found.text', kind: 'error' },
  bad_host: { title: 'page.bad_host.title', heading: 'page.bad_host.heading', text: 'page.bad_host.text', kind: 'error' },
};

/** One of the fixed pages, in the translator's language. */
export function fixedPage(which: Fixed, tr: Translator = english): string {
  const f = FIXED[which];
  return page(tr, tr.render(f.title), tr.render(f.heading), escapeHtml(tr.render(f.text)), f.kind);
}

/**
 * The redirect arrived, but exchanging its code failed (a wrong client
 * secret, an expired code…): the page says so, with the server's words and
 * what to do, instead of a success the terminal then contradicts.
 * `message` and `hint` are already in the translator's language.
 */
export function exchangeFailedPage(message: string, hint: string | undefined, tr: Translator = english): string {
  const text = hint
    ? tr.t('page.failed.text_hint', { message: escapeHtml(message), hint: escapeHtml(hint) })
    : tr.t('page.failed.text', { message: escapeHtml(message) });
  return page(tr, tr.t('page.failed.title'), tr.t('page.failed.heading'), text, 'error');
}
