// Count ava's TAP results and print the closing line "N passed, N failed[, N skipped]".
// Exits non-zero when anything failed or nothing ran.
import { readFileSync } from 'node:fs';

const text = readFileSync(process.argv[2], 'utf8');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const line of text.split('\n')) {
  const m = /^(not ok|ok) \d+\b(.*)$/.exec(line);
  if (!m) continue;
  if (/#\s*(SKIP|TODO)/i.test(m[2])) skipped++;
  else if (m[1] === 'ok') passed++;
  else failed++;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
