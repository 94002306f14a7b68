// Bundle the `token` start-up path into one CommonJS file (see src/fast-token.ts).
// Runtime dependencies stay external and are only loaded when used (axios on a
// refresh, proper-lockfile when the token is stale); env-paths is ESM-only and
// tiny, so it is bundled in.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const external = Object.keys(pkg.dependencies).filter((d) => d !== 'env-paths');

await build({
  entryPoints: [new URL('../src/fast-token.ts', import.meta.url).pathname],
  outfile: new URL('../dist/fast-token.cjs', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
});
