// `npm run build:deb`: dist/oauth-handoff_VERSION_amd64.deb with dpkg-deb, from the single
// executable (npm run build:sea first): /usr/bin/oauth-handoff, the systemd unit
// (scripts/deb/oauth-handoff.service, not enabled on install), a postinst that makes the
// oauth-handoff system user and /var/lib/oauth-handoff (0700), the man page (scripts/man.mjs),
// the README and the licence.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const exe = join(root, 'dist/sea/oauth-handoff');
if (!existsSync(exe)) throw new Error(`${exe} is missing: run npm run build:sea first`);

const stage = join(root, 'dist/deb');
rmSync(stage, { recursive: true, force: true });
const put = (from, to, mode) => {
  const dest = join(stage, to);
  mkdirSync(join(dest, '..'), { recursive: true });
  copyFileSync(from, dest);
  chmodSync(dest, mode);
};
put(exe, 'usr/bin/oauth-handoff', 0o755);
put(join(root, 'scripts/deb/oauth-handoff.service'), 'lib/systemd/system/oauth-handoff.service', 0o644);
put(join(root, 'README.md'), 'usr/share/doc/oauth-handoff/README.md', 0o644);
execFileSync(process.execPath, [join(root, 'scripts/man.mjs')], { stdio: 'inherit' });
const manPage = join(stage, 'usr/share/man/man1/oauth-handoff.1.gz');
mkdirSync(join(manPage, '..'), { recursive: true });
writeFileSync(manPage, gzipSync(readFileSync(join(root, 'dist/man/man1/oauth-handoff.1')), { level: 9 }));
chmodSync(manPage, 0o644);
put(join(root, 'LICENSE'), 'usr/share/doc/oauth-handoff/copyright', 0o644);
put(join(root, 'scripts/deb/postinst'), 'DEBIAN/postinst', 0o755);
put(join(root, 'scripts/deb/postrm'), 'DEBIAN/postrm', 0o755);
const installedKiB = Math.ceil(statSync(exe).size / 1024) + 64;
writeFileSync(
  join(stage, 'DEBIAN/control'),
  [
    'Package: oauth-handoff',
    `Version: ${pkg.version}`,
    'Section: utils',
    'Priority: optional',
    'Architecture: amd64',
    'Maintainer: the oauth-handoff authors <oauth-handoff@users.noreply.github.com>',
    `Installed-Size: ${installedKiB}`,
    'Depends: passwd',
    `Description: ${pkg.description.replace(/\.$/, '')}`,
    ' A single executable with its own Node.js runtime: the token, import, status and refresh',
    ' commands, the refresh daemon (with a systemd unit), passphrase-sealed files and the',
    ' Redis fleet store, on hosts without Node.js.',
    '',
  ].join('\n'),
);
const deb = join(root, `dist/oauth-handoff_${pkg.version}_amd64.deb`);
execFileSync('dpkg-deb', ['-Zgzip', '-z6', '--root-owner-group', '--build', stage, deb], { stdio: ['ignore', 'ignore', 'inherit'] });
rmSync(stage, { recursive: true, force: true });
console.error(`build:deb: ${deb} (${(statSync(deb).size / 1e6).toFixed(1)} MB)`);
