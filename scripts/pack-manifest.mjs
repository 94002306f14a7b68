// npm pack / npm publish: what users install must carry no install-time script.
// A clone needs `prepare` (so `npm install` builds dist/ for `npx oauth-handoff demo`),
// but a published manifest with `prepare` makes npm warn on every install
// ("install-scripts not yet covered by allowScripts"). So:
//   prepack  (`node scripts/pack-manifest.mjs strip`):   build, then set package.json's `prepare` aside
//   postpack (`node scripts/pack-manifest.mjs restore`): put it back
// The tarball is made between the two, from the stripped manifest. If packing
// fails half way, `restore` (or `git checkout package.json`) puts it back.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const manifest = `${root}package.json`;
const saved = `${root}.package.json.prepack`;

const step = process.argv[2];
if (step === 'strip') {
  if (existsSync(saved)) throw new Error(`${saved} exists: a previous pack did not finish; run "node scripts/pack-manifest.mjs restore" first`);
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [`${root}scripts/man.mjs`], { cwd: root, stdio: 'inherit' });
  const text = readFileSync(manifest, 'utf8');
  const pkg = JSON.parse(text);
  writeFileSync(saved, text);
  delete pkg.scripts.prepare;
  writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
} else if (step === 'restore') {
  if (existsSync(saved)) renameSync(saved, manifest);
} else {
  console.error('usage: node scripts/pack-manifest.mjs strip|restore');
  process.exit(2);
}
