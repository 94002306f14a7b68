/**
 * The browser side: `authorize` (loopback or out-of-band capture, sealing the
 * settings file), `relay` (the laptop half of `login --paste`) and
 * `providers`. Never imports headless-side: what both need lives below them.
 */
export { authorizeCommand, authorizeWithPlan, DEFAULT_TIMEOUT_SECONDS, planAuthorization } from './authorize.js';
export type { AuthorizeOptions, AuthorizeOutcome, AuthorizePlan } from './authorize.js';
export { explainProviderError, redirectAdvice } from './explain.js';
export type { ExplainContext } from './explain.js';
export { runAuthorization } from './flow.js';
export type { AuthorizationFlowOptions, AuthorizationResult, FlowEvent } from './flow.js';
export { sealSettings } from './handoff-file.js';
// shared with `login`, kept under the names this side has always exported
export { CLIENT_SECRET_ENV, registerRedirectExample, settingsFromTokens } from '../authorization/index.js';
export type { SettingsInput } from '../authorization/index.js';
export { PASSPHRASE_ENV } from '../settings-file/index.js';
export { LOOPBACK_HOST_NAMES, parseLoopbackRedirectUri, startLoopbackListener } from './loopback.js';
export type {
  CallbackExpectation,
  ListenerEvent,
  LoopbackCallback,
  LoopbackListener,
  LoopbackOptions,
  LoopbackTarget,
  RefusalReason,
} from './loopback.js';
export { authorizeExample, describeProvider, providersCommand } from './providers.js';
export type { ProvidersOptions } from './providers.js';
export { parseAuthorizationRequestUrl, relayCommand } from './relay.js';
export type { RelayOptions } from './relay.js';
export { canOpenBrowser, copyToClipboard, osc52, systemBrowser } from './terminal-io.js';
export type { BrowserOpener } from './terminal-io.js';
