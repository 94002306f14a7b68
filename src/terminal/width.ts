import stringWidth from 'string-width';

/**
 * Terminal columns a string takes: Japanese characters take two, combining
 * marks none, escape sequences none. Layout (tables, help columns, the
 * 80-column rules of the headless screen) measures this, never `.length`.
 */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

/** Pad on the right to `width` columns (never cuts). */
export function padEndToWidth(text: string, width: number): string {
  const w = displayWidth(text);
  return w >= width ? text : text + ' '.repeat(width - w);
}

/** Pad on the left to `width` columns (never cuts). */
export function padStartToWidth(text: string, width: number): string {
  const w = displayWidth(text);
  return w >= width ? text : ' '.repeat(width - w) + text;
}

/** Split text into lines of at most `columns` columns, at spaces where there are any (Japanese breaks anywhere). */
export function wrapToWidth(text: string, columns: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    for (const token of paragraph.match(/\S+\s*|\s+/g) ?? ['']) {
      const tw = displayWidth(token.trimEnd());
      if (lineWidth > 0 && lineWidth + tw > columns) {
        lines.push(line.trimEnd());
        line = '';
        lineWidth = 0;
      }
      if (tw <= columns) {
        line += token;
        lineWidth += displayWidth(token);
        continue;
      }
      // a word (or a run of Japanese) wider than the line: break by character
      for (const ch of token) {
        const cw = displayWidth(ch);
        if (lineWidth + cw > columns) {
          lines.push(line.trimEnd());
          line = '';
          lineWidth = 0;
        }
        line += ch;
        lineWidth += cw;
      }
    }
    lines.push(line.trimEnd());
  }
  return lines;
}
