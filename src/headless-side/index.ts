export { ciSession, ciStatusCommand, ciTokenCommand } from './ci.js';
export type { CiOptions, CiSession } from './ci.js';
export { DEFAULT_TOKEN_ENV_VAR, execCommand } from './exec.js';
export type { ExecOptions } from './exec.js';
export { exportCommand } from './export.js';
export type { ExportOptions } from './export.js';
export { forgetCommand } from './forget.js';
export { fleetAddMemberCommand, fleetMembersCommand, fleetRemoveMemberCommand, fleetRestoreCommand } from './fleet.js';
export type { FleetMemberOptions, FleetOptions, FleetRestoreOptions } from './fleet.js';
export type { ForgetOptions } from './forget.js';
export { PASSPHRASE_ENV, importCommand, openTransferFile } from './import.js';
export type { ImportOptions } from './import.js';
export { inspectCommand, readSettingsInput } from './inspect.js';
export type { InspectOptions } from './inspect.js';
export { keygenCommand } from './keygen.js';
export { DEFAULT_LOGIN_TIMEOUT_SECONDS, loginCommand, settingsFromTokens } from './login.js';
export type { LoginMode, LoginOptions } from './login.js';
export { deviceLogin, pollDeviceToken, startDeviceAuthorization } from './login-device.js';
export type { DeviceFlowDeps, DevicePollEvent } from './login-device.js';
export { createPasteRequest, exchangeCode, pasteLogin } from './login-paste.js';
export type { PasteFlowDeps, PasteRequest, ReadPasted } from './login-paste.js';
export { CLIENT_SECRET_ENV, chooseRedirect, OOB_REDIRECT_URI, resolveLoginTarget, scopesFrom } from './login-target.js';
export type { LoginTarget, ProviderSelection, RedirectChoice } from './login-target.js';
export type { KeygenOptions } from './keygen.js';
export { refreshCommand } from './refresh.js';
export type { RefreshOptions } from './refresh.js';
export { collectStatus, describeCredential, printStatus, statusCommand } from './status.js';
export type { CredentialStatus, StatusOptions } from './status.js';
export { DEFAULT_MIN_VALID_SECONDS, tokenCommand } from './token.js';
export type { TokenOptions } from './token.js';
export type { CommonOptions } from './common.js';
export { daemonCommand, readDaemonState, startDaemon } from './daemon.js';
export type {
  DaemonCommandOptions,
  DaemonCredentialSnapshot,
  DaemonCredentialState,
  DaemonErrorRecord,
  DaemonEvent,
  DaemonHandle,
  DaemonInfo,
  DaemonLog,
  DaemonOptions,
  DaemonStateRecord,
  DaemonStatusView,
  HookEvent,
  LogFormat,
  LogLevel,
  NextAttemptReason,
  RunningDaemon,
} from './daemon.js';
