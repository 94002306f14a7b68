/**
 * The terminal's clipboard (OSC 52): how `authorize --copy`, `export --copy`
 * and `relay --copy` hand text to the person's own machine, through SSH.
 */
import { openTty } from './prompt.js';

/**
 * The OSC 52 escape that asks the terminal to put `text` on the clipboard
 * (xterm's "Manipulate Selection Data"; works through SSH). Inside tmux or
 * GNU screen it is wrapped in their pass-through sequence.
 */
export function osc52(text: string, env: NodeJS.ProcessEnv = process.env): string {
  const seq = `\x1b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\x07`;
  if (env.TMUX) return `\x1bPtmux;${seq.replace(/\x1b/g, '\x1b\x1b')}\x1b\\`;
  if ((env.TERM ?? '').startsWith('screen') && !env.TMUX) return `\x1bP${seq}\x1b\\`;
  return seq;
}

/** Write the OSC 52 sequence to the controlling terminal; false when there is none. */
export function copyToClipboard(text: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const tty = openTty();
  if (!tty) return false;
  try {
    tty.output.write(osc52(text, env));
    return true;
  } finally {
    tty.close();
  }
}

