/**
 * src/oauth/index.ts is on the `token` hot path: importing it must not load
 * axios. A child node process gets a resolve hook that refuses "axios"; the
 * import must succeed, and createHttpClient (which does need axios) must then
 * hit the hook — proving the hook watches.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import test from 'ava';

const run = promisify(execFile);
const indexUrl = pathToFileURL(fileURLToPath(new URL('../../src/oauth/index.js', import.meta.url))).href;

const hooks = `export async function resolve(specifier, context, next) {
  if (specifier === 'axios' || specifier.startsWith('axios/')) throw new Error('AXIOS_RESOLVED');
  return next(specifier, context);
}`;
const register = `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}));`;
const main = `const m = await import(${JSON.stringify(indexUrl)});
console.log('imported', typeof m.processTokenResponse, Object.keys(m.PROVIDERS).length);
try { await m.createHttpClient(); console.log('axios loaded'); } catch (e) { console.log('blocked', String(e.message).includes('AXIOS_RESOLVED')); }`;

test('importing the oauth module does not load axios; creating the HTTP client does', async (t) => {
  const { stdout } = await run(process.execPath, [
    '--no-warnings',
    '--import',
    `data:text/javascript,${encodeURIComponent(register)}`,
    '--input-type=module',
    '-e',
    main,
  ], { timeout: 20_000 });
  t.is(stdout.trim(), 'imported function 6\nblocked true');
});
