// `npm test` on a fresh machine: the browser, terminal and fleet suites need
// real programs (Chromium, tmux, redis-server, systemd-analyze). Bring them when we can (as
// root, with apt-get, as .ci/run does), else stop at once with the one command
// to run. OAUTH_HANDOFF_SKIP_TEST_DEPS=1 skips this check.
import { execFileSync, spawnSync } from 'node:child_process';

const needs = [
  { command: 'chromium', pkg: 'chromium', for: 'the browser journeys' },
  { command: 'tmux', pkg: 'tmux', for: 'the 80x24 terminal screens' },
  { command: 'redis-server', pkg: 'redis-server', for: 'the fleet store' },
  { command: 'systemd-analyze', pkg: 'systemd', for: 'checking the documented systemd unit' },
];
if (process.env.OAUTH_HANDOFF_SKIP_TEST_DEPS === '1') process.exit(0);
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const missing = needs.filter((n) => !has(n.command));
if (missing.length === 0) process.exit(0);

const pkgs = missing.map((m) => m.pkg);
const list = missing.map((m) => `${m.command} (${m.for})`).join(', ');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (isRoot && has('apt-get')) {
  console.error(`oauth-handoff tests: installing ${list}`);
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', ...pkgs], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    process.exit(0);
  } catch {
    console.error('oauth-handoff tests: apt-get could not install them');
  }
}
console.error(`oauth-handoff tests need ${list}. Install them, then run npm test again:`);
console.error(has('apt-get') ? `  sudo apt-get install -y ${pkgs.join(' ')}` : `  install ${pkgs.join(', ')} with your system's package manager`);
process.exit(1);
