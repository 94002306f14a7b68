/**
 * What the hand-off screen draws for a terminal size (planScreen): the
 * optional block (the relay line) when it fits with the rest, else its
 * shorter fallback when that fits, else neither; everything but the QR code
 * without a terminal.
 */
import test from 'ava';
import { planScreen } from '../../src/terminal/index.js';
import type { ScreenLine } from '../../src/terminal/index.js';

const url = `http://127.0.0.1:8080/oauth/authorize?response_type=code&client_id=${'c'.repeat(60)}&state=${'s'.repeat(43)}`;
const screen = (fallback?: ScreenLine[]) => ({
  intro: 'open this URL in a browser on any device, sign in and approve:',
  url,
  optional: [
    { kind: 'info' as const, text: 'or, on a laptop with oauth-handoff, run this there:' },
    { kind: 'raw' as const, text: `\n    oauth-handoff relay '${url}'\n\n` },
  ],
  ...(fallback ? { fallback } : {}),
  then: [{ kind: 'info' as const, text: 'waiting up to 10 min' }],
  reserve: 1,
});
const short: ScreenLine[] = [{ kind: 'info', text: "or run oauth-handoff relay '<the URL above>' on a laptop" }];

test('the relay block when it fits; its fallback when only that fits; neither when nothing fits', (t) => {
  // base: intro 1 + blank and URL (3 rows at 80 columns) 4 + then 1 + reserve 1 = 7; relay block 1 + 5 = 6; fallback 1
  t.deepEqual(planScreen(screen(short), undefined, { rows: 24, columns: 80 }), { qr: false, optional: true, fallback: false });
  t.deepEqual(planScreen(screen(short), undefined, { rows: 10, columns: 80 }), { qr: false, optional: false, fallback: true });
  t.deepEqual(planScreen(screen(short), undefined, { rows: 7, columns: 80 }), { qr: false, optional: false, fallback: false });
  t.deepEqual(planScreen(screen(), undefined, { rows: 10, columns: 80 }), { qr: false, optional: false, fallback: false }, 'no fallback given, none drawn');
});

test('without a terminal everything is printed but the QR code, and no fallback (the relay line is there)', (t) => {
  t.deepEqual(planScreen(screen(short), 'QR', undefined), { qr: false, optional: true, fallback: false });
});

test('a QR code is drawn only when it fits with what is shown beside it (the fallback counts)', (t) => {
  const qr = `${'█'.repeat(20)}\n`.repeat(3);
  // 7 + fallback 1 + QR 3 = 11 rows; with the relay block (6) it would be 16
  t.deepEqual(planScreen(screen(short), qr, { rows: 11, columns: 80 }), { qr: true, optional: false, fallback: true });
  t.deepEqual(planScreen(screen(short), qr, { rows: 10, columns: 80 }), { qr: false, optional: false, fallback: true });
  t.deepEqual(planScreen(screen(short), qr, { rows: 16, columns: 80 }), { qr: true, optional: true, fallback: false });
});
