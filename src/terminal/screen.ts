/**
 * The hand-off screen: a URL someone must open on another device, what to do
 * with it, and a prompt below. On a terminal of known size (a plain 80x24 over
 * SSH) everything that is printed must still be on screen when the prompt
 * is: the QR code comes first and only when it fits with the rest, optional
 * blocks (the relay line) only when they fit (else their shorter fallback,
 * when that fits), and the URL always sits just
 * above what follows it. Without a terminal (a pipe, a log) everything is
 * printed except the QR code, which nobody can scan there.
 */
import { renderQr } from './qr.js';
import type { Output } from './output.js';
import { displayWidth } from './width.js';

/** One line (or block) of the screen: a prefixed message, a warning, or text as is. */
export interface ScreenLine {
  kind: 'info' | 'warn' | 'raw';
  text: string;
}

export interface HandoffScreen {
  /** shown first (after the QR code), always */
  before?: ScreenLine[];
  /** the line above the URL; `qr` says whether a QR code was drawn */
  intro: (qr: boolean) => string;
  url: string;
  /** shown right after the URL, always (what happens after the approval) */
  next?: ScreenLine[];
  /** shown after that when they fit (e.g. the relay command: another way back) */
  optional?: ScreenLine[];
  /** shown there instead when `optional` does not fit but this does (a shorter form of it) */
  fallback?: ScreenLine[];
  /** always shown, after the rest */
  then: ScreenLine[];
  /** --qr / --no-qr */
  qr: boolean;
  /** rows kept free below, for the prompt or the countdown (default 1) */
  reserve?: number;
  /** what to draw as a QR code (default: the URL) */
  qrText?: string;
}

export interface ScreenSize {
  rows: number;
  columns: number;
}

/** The size of the terminal `out` writes to, when it is one. */
export function terminalSize(out: Output): ScreenSize | undefined {
  const s = out.stderr as { isTTY?: boolean; rows?: number; columns?: number };
  if (s.isTTY !== true || !s.rows || !s.columns) return undefined;
  return { rows: s.rows, columns: s.columns };
}

const PREFIX = 'oauth-handoff: ';
const WARNING = 'warning: ';

/** Rows the text takes on a terminal `columns` wide (long lines wrap). */
export function rowsOf(text: string, columns: number): number {
  return text.split('\n').reduce((n, line) => n + Math.max(1, Math.ceil(displayWidth(line) / columns)), 0);
}

function rowsOfLine(l: ScreenLine, columns: number): number {
  if (l.kind === 'raw') return rowsOf(l.text.replace(/\n$/, ''), columns);
  return rowsOf(`${PREFIX}${l.kind === 'warn' ? WARNING : ''}${l.text}`, columns);
}

function print(out: Output, l: ScreenLine): void {
  if (l.kind === 'info') out.info(l.text);
  else if (l.kind === 'warn') out.warn(l.text);
  else out.raw(l.text);
}

/** What is drawn, decided from the terminal size (exported for tests). */
export function planScreen(
  s: Pick<HandoffScreen, 'before' | 'url' | 'next' | 'optional' | 'fallback' | 'then' | 'reserve'> & { intro: string },
  qr: string | undefined,
  size: ScreenSize | undefined,
): { qr: boolean; optional: boolean; fallback: boolean } {
  if (size === undefined) return { qr: false, optional: true, fallback: false };
  const rows = (lines: ScreenLine[]) => lines.reduce((n, l) => n + rowsOfLine(l, size.columns), 0);
  const base = rows([...(s.before ?? []), { kind: 'info', text: s.intro }, { kind: 'raw', text: `\n${s.url}\n` }, ...(s.next ?? []), ...s.then]) + (s.reserve ?? 1);
  const optional = rows(s.optional ?? []);
  const withOptional = base + optional <= size.rows;
  const fallback = s.fallback === undefined || s.fallback.length === 0 ? 0 : rows(s.fallback);
  const withFallback = !withOptional && fallback > 0 && base + fallback <= size.rows;
  const extra = withOptional ? optional : withFallback ? fallback : 0;
  const qrRows = qr === undefined ? 0 : rowsOf(qr.replace(/\n$/, ''), size.columns);
  const qrWidth = qr === undefined ? 0 : Math.max(...qr.split('\n').map((l) => displayWidth(l)));
  const qrFits = qr !== undefined && qrWidth <= size.columns && base + extra + qrRows <= size.rows;
  return { qr: qrFits, optional: withOptional, fallback: withFallback };
}

/** Print the hand-off screen (see the module comment). Returns whether a QR code was drawn. */
export async function showHandoffScreen(out: Output, s: HandoffScreen): Promise<{ qr: boolean }> {
  const size = terminalSize(out);
  const qrText = s.qr && size !== undefined ? await renderQr(s.qrText ?? s.url) : undefined;
  const plan = planScreen({ ...s, intro: s.intro(true) }, qrText, size);
  if (plan.qr && qrText !== undefined) out.raw(qrText.endsWith('\n') ? qrText : `${qrText}\n`);
  for (const l of s.before ?? []) print(out, l);
  out.info(s.intro(plan.qr));
  out.raw(`\n${s.url}\n\n`);
  for (const l of s.next ?? []) print(out, l);
  if (plan.optional) for (const l of s.optional ?? []) print(out, l);
  else if (plan.fallback) for (const l of s.fallback ?? []) print(out, l);
  for (const l of s.then) print(out, l);
  return { qr: plan.qr };
}
