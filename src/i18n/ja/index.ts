/** The Japanese catalog: the same keys and placeholders as the English one (the type checks the keys, test/i18n the placeholders). */
import type { Catalog } from '../catalog.js';
import { authorize } from './authorize.js';
import { cli } from './cli.js';
import { common } from './common.js';
import { daemon } from './daemon.js';
import { headlessLines } from './headless-lines.js';
import { playground } from './playground.js';
import { demo } from './demo.js';
import { fleet } from './fleet.js';
import { grant } from './grant.js';
import { handoff } from './handoff.js';
import { headless } from './headless.js';
import { hints } from './hints.js';
import { login } from './login.js';
import { options } from './options.js';
import { oauth } from './oauth.js';
import { browser } from './browser.js';
import { authorization } from './authorization.js';
import { providers, providersCommand } from './providers.js';
import { resource } from './resource.js';
import { sandbox } from './sandbox.js';
import { store } from './store.js';
import { crypto } from './crypto.js';
import { credential } from './credential.js';
import { terminal } from './terminal.js';
import { fleetStore } from './fleet-store.js';
import { files } from './files.js';

export const ja: Catalog = {
  ...common,
  ...daemon,
  ...headlessLines,
  ...playground,
  ...cli,
  ...authorize,
  ...hints,
  ...login,
  ...headless,
  ...options,
  ...handoff,
  ...demo,
  ...fleet,
  ...grant,
  ...providers,
  ...providersCommand,
  ...resource,
  ...sandbox,
  ...store,
  ...crypto,
  ...credential,
  ...terminal,
  ...fleetStore,
  ...files,
  ...oauth,
  ...browser,
  ...authorization,
};
