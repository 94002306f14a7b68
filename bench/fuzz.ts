/**
 * bench/fuzz: the large fuzz run (test/crypto/fuzz.test.ts runs 5,000 in CI). Mutated settings
 * files and armored blocks through the library; prints the counts of each verdict and any finding
 * (seed, case index, mutators) to replay. Exit 1 when there is a finding.
 *
 *   npm run build && node dist/bench/fuzz.js [cases=100000] [seed=20261207]
 */
import { runFuzz } from '../test/crypto/fuzz-cases.js';

const cases = Math.max(1, Math.min(10_000_000, Number(process.argv[2] ?? 100_000)));
const seed = Number(process.argv[3] ?? 20261207);
const t0 = Date.now();
const r = await runFuzz(seed, cases, (done) => process.stderr.write(`\r${done} / ${cases}`));
process.stderr.write('\n');
console.log(`seed ${r.seed}, ${r.cases} cases (${r.byKind.file} binary files, ${r.byKind.armored} armored blocks) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
console.log(`untouched credential  ${r.counts.unchanged}`);
console.log(`BAD_FILE              ${r.counts.BAD_FILE}`);
console.log(`DECRYPT_FAILED        ${r.counts.DECRYPT_FAILED}`);
console.log(`empty (USAGE)         ${r.counts.EMPTY}`);
console.log(`findings              ${r.counts.finding}`);
for (const f of r.findings) console.log(`  case ${f.index} (${f.kind}, ${f.mutators.join(' + ')}): ${f.detail}`);
process.exitCode = r.counts.finding === 0 ? 0 : 1;
