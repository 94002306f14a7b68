/** The sandbox's web pages (src/sandbox/pages.ts), in the language the browser asks for. */
export const sandbox = {
  'sandbox.page.badge': '{profile} sandbox',
  'sandbox.page.approve.title': 'Authorize {client} – {profile} sandbox',
  'sandbox.page.approve.heading': 'Authorize {client}?',
  'sandbox.page.approve.acts_as': 'The application {client} wants to act as {user}.',
  'sandbox.page.approve.any_scope': 'It asks for access to your account.',
  'sandbox.page.approve.scopes': 'It asks for these scopes:',
  'sandbox.page.approve.approve': 'Approve',
  'sandbox.page.approve.deny': 'Deny',
  'sandbox.page.error.title': 'Authorization error – {profile} sandbox',
  'sandbox.page.error.heading': 'The authorization request was refused',
  'sandbox.page.code.title': 'Authorization code – {profile} sandbox',
  'sandbox.page.code.heading': 'Authorization code:',
  'sandbox.page.code.copy': 'Copy this code and paste it into the application.',
  'sandbox.page.index.about': 'A local OAuth 2.0 authorization server for trying things out. Nothing here is real.',
} as const;
