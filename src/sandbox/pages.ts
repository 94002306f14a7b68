/**
 * The sandbox's HTML pages: approval, error, out-of-band code, index. Their
 * words come from the catalog (src/i18n), in the language the browser asks
 * for (Accept-Language), as a real server's pages would.
 */
import type { IncomingMessage } from 'node:http';
import { createTranslator, fill, langOfAcceptLanguage } from '../i18n/index.js';
import type { MessageKey, Translator } from '../i18n/index.js';

/** The translator for the page answering this request. */
export function pageTranslator(req: IncomingMessage): Translator {
  return createTranslator(langOfAcceptLanguage(req.headers['accept-language']));
}

/** A catalog sentence as HTML: its words escaped, its placeholders filled with HTML made by the caller. */
function sentence(tr: Translator, key: MessageKey, html: Record<string, string> = {}): string {
  return fill(esc(tr.render(key, Object.fromEntries(Object.keys(html).map((k) => [k, `{${k}}`])))), html);
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; background: #f4f5f7; color: #172b4d; margin: 0; }
  main { max-width: 32rem; margin: 4rem auto; background: #fff; border-radius: 8px;
         box-shadow: 0 1px 4px rgba(0,0,0,.15); padding: 2rem; }
  h1 { font-size: 1.4rem; margin-top: 0; }
  .sandbox { font-size: .8rem; color: #6b778c; text-transform: uppercase; letter-spacing: .05em; }
  ul.scopes li { font-family: ui-monospace, monospace; }
  .actions { display: flex; gap: 1rem; margin-top: 1.5rem; }
  button { font: inherit; padding: .5rem 1.5rem; border-radius: 4px; border: 1px solid #c1c7d0; cursor: pointer; }
  button#approve { background: #0052cc; color: #fff; border-color: #0052cc; }
  code#authorization_code { display: block; font-size: 1.1rem; padding: .75rem; background: #f4f5f7;
         border-radius: 4px; word-break: break-all; user-select: all; }
  .error { color: #bf2600; }
  dt { font-weight: 600; } dd { margin: 0 0 .5rem 0; font-family: ui-monospace, monospace; word-break: break-all; }
`;

function page(tr: Translator, title: string, body: string): string {
  return `<!doctype html>
<html lang="${tr.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export function approvePage(p: {
  tr: Translator;
  profileTitle: string;
  action: string;
  /** hidden form fields naming what is decided (transaction_id, or user_code) */
  hidden: readonly (readonly [string, string])[];
  clientName: string;
  user: string;
  scopes: readonly string[];
  /** RFC 8707: the resource the token will be for */
  resource?: string;
  /** RFC 8628: the code the person compares with the one on the device */
  userCode?: string;
}): string {
  const { tr } = p;
  const scopes =
    p.scopes.length === 0
      ? `<p>${sentence(tr, 'sandbox.page.approve.any_scope')}</p>`
      : `<p>${sentence(tr, 'sandbox.page.approve.scopes')}</p>\n<ul class="scopes">${p.scopes.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>`;
  const resource =
    p.resource === undefined ? '' : `<p>${sentence(tr, 'sandbox.page.approve.resource', { resource: `<code id="resource">${esc(p.resource)}</code>` })}</p>\n`;
  const userCode =
    p.userCode === undefined ? '' : `<p>${sentence(tr, 'sandbox.page.approve.user_code', { code: `<code id="user_code">${esc(p.userCode)}</code>` })}</p>\n`;
  return page(
    tr,
    tr.t('sandbox.page.approve.title', { client: p.clientName, profile: p.profileTitle }),
    `<p class="sandbox">${sentence(tr, 'sandbox.page.badge', { profile: esc(p.profileTitle) })}</p>
<h1>${sentence(tr, 'sandbox.page.approve.heading', { client: `<span id="client">${esc(p.clientName)}</span>` })}</h1>
<p>${sentence(tr, 'sandbox.page.approve.acts_as', { client: `<strong>${esc(p.clientName)}</strong>`, user: `<strong>${esc(p.user)}</strong>` })}</p>
${scopes}
${resource}${userCode}<form method="post" action="${esc(p.action)}">
${p.hidden.map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('\n')}
<div class="actions">
<button type="submit" id="approve" name="decision" value="approve">${sentence(tr, 'sandbox.page.approve.approve')}</button>
<button type="submit" id="deny" name="decision" value="deny">${sentence(tr, 'sandbox.page.approve.deny')}</button>
</div>
</form>`,
  );
}

export function errorPage(p: { tr: Translator; profileTitle: string; error: string; description: string }): string {
  const { tr } = p;
  return page(
    tr,
    tr.t('sandbox.page.error.title', { profile: p.profileTitle }),
    `<p class="sandbox">${sentence(tr, 'sandbox.page.badge', { profile: esc(p.profileTitle) })}</p>
<h1 class="error">${sentence(tr, 'sandbox.page.error.heading')}</h1>
<p><code id="error">${esc(p.error)}</code></p>
<p id="error_description">${esc(p.description)}</p>`,
  );
}

/** Doorkeeper's out-of-band page: the code to copy, no state. */
export function nativeCodePage(p: { tr: Translator; profileTitle: string; code: string }): string {
  const { tr } = p;
  return page(
    tr,
    tr.t('sandbox.page.code.title', { profile: p.profileTitle }),
    `<p class="sandbox">${sentence(tr, 'sandbox.page.badge', { profile: esc(p.profileTitle) })}</p>
<h1>${sentence(tr, 'sandbox.page.code.heading')}</h1>
<code id="authorization_code">${esc(p.code)}</code>
<p>${sentence(tr, 'sandbox.page.code.copy')}</p>`,
  );
}

export function indexPage(p: { tr: Translator; profileTitle: string; entries: readonly [string, string][] }): string {
  const { tr } = p;
  return page(
    tr,
    tr.t('sandbox.page.badge', { profile: p.profileTitle }),
    `<p class="sandbox">oauth-handoff</p>
<h1>${sentence(tr, 'sandbox.page.badge', { profile: esc(p.profileTitle) })}</h1>
<p>${sentence(tr, 'sandbox.page.index.about')}</p>
<dl>${p.entries.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`,
  );
}

/** RFC 8628 §3.3: where a person types the code the device shows. */
export function deviceEntryPage(p: { tr: Translator; profileTitle: string; action: string; unknownCode?: boolean }): string {
  const { tr } = p;
  const problem = p.unknownCode === true ? `<p class="error" id="problem">${sentence(tr, 'sandbox.page.device.unknown')}</p>\n` : '';
  return page(
    tr,
    tr.t('sandbox.page.device.title', { profile: p.profileTitle }),
    `<p class="sandbox">${sentence(tr, 'sandbox.page.badge', { profile: esc(p.profileTitle) })}</p>
<h1>${sentence(tr, 'sandbox.page.device.heading')}</h1>
${problem}<p>${sentence(tr, 'sandbox.page.device.enter')}</p>
<form method="post" action="${esc(p.action)}">
<input name="user_code" id="user_code" autocomplete="off" autofocus>
<div class="actions"><button type="submit" id="continue">${sentence(tr, 'sandbox.page.device.continue')}</button></div>
</form>`,
  );
}

/** After the decision on a device request. */
export function deviceDonePage(p: { tr: Translator; profileTitle: string; approved: boolean }): string {
  const { tr } = p;
  const [title, heading, more] = p.approved
    ? (['sandbox.page.device.connected.title', 'sandbox.page.device.connected', 'sandbox.page.device.connected.more'] as const)
    : (['sandbox.page.device.denied.title', 'sandbox.page.device.denied', 'sandbox.page.device.denied.more'] as const);
  return page(
    tr,
    tr.t(title, { profile: p.profileTitle }),
    `<p class="sandbox">${sentence(tr, 'sandbox.page.badge', { profile: esc(p.profileTitle) })}</p>
<h1 id="outcome">${sentence(tr, heading)}</h1>
<p>${sentence(tr, more)}</p>`,
  );
}
