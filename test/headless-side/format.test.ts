import test from 'ava';
import { formatDuration } from '../../src/headless-side/daemon/schedule.js';
import { relative } from '../../src/headless-side/common.js';

test('durations read as people write them, and never as "1 h 60 min"', (t) => {
  t.is(formatDuration(250), '250 ms');
  t.is(formatDuration(40_000), '40 s');
  t.is(formatDuration(59 * 60_000), '59 min');
  t.is(formatDuration(2 * 3_600_000 - 20_000), '2 h 0 min');
  t.is(formatDuration(3_600_000 + 59 * 60_000 + 40_000), '2 h 0 min');
  t.is(formatDuration(2 * 3_600_000 + 5 * 60_000), '2 h 5 min');
  t.is(formatDuration(7 * 86_400_000), '7 d');
  t.is(relative(3 * 60_000), 'in 3 min');
  t.is(relative(-3 * 60_000), '3 min ago');
});
