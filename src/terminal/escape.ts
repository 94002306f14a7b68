/**
 * Data from files and servers is data, never terminal input. Before any text
 * reaches a terminal, the characters a terminal would act on are shown as
 * escapes instead: C0 controls but newline and tab (ESC starts OSC 52
 * clipboard writes and screen clears; CR rewrites a line), DEL, C1 controls
 * (U+009B is CSI on some terminals), and the bidirectional and invisible
 * formatting characters that make text read differently from what it is.
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

function escapeOne(c: string): string {
  const n = c.charCodeAt(0);
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

/** `text` with every character a terminal would act on (all but newline and tab) shown as `\xHH` / `\uHHHH`. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

/** The same for one line: newline and tab are escaped too (a value must not start a line of its own). */
export function escapeLine(text: string): string {
  return escapeControls(text).replace(/[\n\t]/g, escapeOne);
}

/**
 * JSON text that a terminal shows as it is: JSON.stringify escapes C0 but
 * writes DEL, C1 and formatting characters as they are; these become `\uHHHH`
 * (the same JSON value).
 */
export function terminalSafeJson(json: string): string {
  return json.replace(/[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
