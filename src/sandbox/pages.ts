/** The sandbox's HTML pages: approval, error, out-of-band code, index. */

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

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
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
  profileTitle: string;
  action: string;
  /** hidden form fields naming what is decided (transaction_id, or user_code) */
  hidden: readonly (readonly [string, string])[];
  clientName: string;
  user: string;
  scopes: readonly string[];
  /** RFC 8707: the resource the token will be for */
  resource?: string;
  /** RFC 8628: the code the person should compare with the one on the device */
  userCode?: string;
}): string {
  const scopes =
    p.scopes.length === 0
      ? '<p>It asks for access to your account.</p>'
      : `<p>It asks for these scopes:</p>\n<ul class="scopes">${p.scopes.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>`;
  const resource = p.resource === undefined ? '' : `<p>The access is for <code id="resource">${esc(p.resource)}</code> only.</p>\n`;
  const userCode =
    p.userCode === undefined ? '' : `<p>Check that the device shows this code: <code id="user_code">${esc(p.userCode)}</code></p>\n`;
  return page(
    `Authorize ${p.clientName} – ${p.profileTitle} sandbox`,
    `<p class="sandbox">${esc(p.profileTitle)} sandbox</p>
<h1>Authorize <span id="client">${esc(p.clientName)}</span>?</h1>
<p>The application <strong>${esc(p.clientName)}</strong> wants to act as <strong>${esc(p.user)}</strong>.</p>
${scopes}
${resource}${userCode}<form method="post" action="${esc(p.action)}">
${p.hidden.map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('\n')}
<div class="actions">
<button type="submit" id="approve" name="decision" value="approve">Approve</button>
<button type="submit" id="deny" name="decision" value="deny">Deny</button>
</div>
</form>`,
  );
}

export function errorPage(p: { profileTitle: string; error: string; description: string }): string {
  return page(
    `Authorization error – ${p.profileTitle} sandbox`,
    `<p class="sandbox">${esc(p.profileTitle)} sandbox</p>
<h1 class="error">The authorization request was refused</h1>
<p><code id="error">${esc(p.error)}</code></p>
<p id="error_description">${esc(p.description)}</p>`,
  );
}

/** Doorkeeper's out-of-band page: the code to copy, no state. */
export function nativeCodePage(p: { profileTitle: string; code: string }): string {
  return page(
    `Authorization code – ${p.profileTitle} sandbox`,
    `<p class="sandbox">${esc(p.profileTitle)} sandbox</p>
<h1>Authorization code:</h1>
<code id="authorization_code">${esc(p.code)}</code>
<p>Copy this code and paste it into the application.</p>`,
  );
}

export function indexPage(p: { profileTitle: string; entries: readonly [string, string][] }): string {
  return page(
    `${p.profileTitle} sandbox`,
    `<p class="sandbox">oauth-handoff</p>
<h1>${esc(p.profileTitle)} sandbox</h1>
<p>A local OAuth 2.0 authorization server for trying things out. Nothing here is real.</p>
<dl>${p.entries.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`,
  );
}

/** RFC 8628 §3.3: where a person types the code the device shows. */
export function deviceEntryPage(p: { profileTitle: string; action: string; unknownCode?: boolean }): string {
  const problem =
    p.unknownCode === true ? '<p class="error" id="problem">That code is unknown, expired or already used. Check it and try again.</p>\n' : '';
  return page(
    `Connect a device – ${p.profileTitle} sandbox`,
    `<p class="sandbox">${esc(p.profileTitle)} sandbox</p>
<h1>Connect a device</h1>
${problem}<p>Enter the code the device shows.</p>
<form method="post" action="${esc(p.action)}">
<input name="user_code" id="user_code" autocomplete="off" autofocus>
<div class="actions"><button type="submit" id="continue">Continue</button></div>
</form>`,
  );
}

/** After the decision on a device request. */
export function deviceDonePage(p: { profileTitle: string; approved: boolean }): string {
  return page(
    `Device ${p.approved ? 'connected' : 'not connected'} – ${p.profileTitle} sandbox`,
    `<p class="sandbox">${esc(p.profileTitle)} sandbox</p>
<h1 id="outcome">${p.approved ? 'Device connected' : 'Request denied'}</h1>
<p>${p.approved ? 'You can go back to the device: it continues by itself.' : 'The device was not given access.'}</p>`,
  );
}

