/**
 * The person-facing side of the browser step: opening the browser, showing
 * the URL (and a QR code), the countdown, OSC 52 clipboard writes and reading
 * a pasted line. Everything here writes to stderr or the TTY, never to stdout.
 */
import { renderQr } from '../terminal/index.js';
import type { Output } from '../terminal/index.js';

/** Opens a URL in a browser; injected so tests and `demo` can drive the browser step. */
export type BrowserOpener = (url: string) => Promise<void>;

/**
 * Whether a browser can be shown to the person at this terminal: a desktop
 * session on this machine (macOS, Windows, WSL, or X11 / Wayland), and not a
 * bare SSH login (a browser would open on the remote screen, or not at all).
 */
export function canOpenBrowser(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): boolean {
  const graphical = !!(env.DISPLAY || env.WAYLAND_DISPLAY);
  if (env.SSH_CONNECTION || env.SSH_TTY || env.SSH_CLIENT) return graphical;
  if (platform === 'darwin' || platform === 'win32') return true;
  if (env.WSL_DISTRO_NAME) return true;
  return graphical;
}

/** The system browser, via the `open` package (loaded only when used). */
export const systemBrowser: BrowserOpener = async (url) => {
  const { default: open } = await import('open');
  await open(url);
};

/** Print the URL on its own line (easy to copy) and, when asked, a QR code for a phone. */
export async function showUrl(out: Output, url: string, opts: { qr: boolean; what: string }): Promise<void> {
  out.info(opts.what);
  out.raw(`\n${url}\n\n`);
  if (opts.qr) {
    out.raw(await renderQr(url));
    out.raw('\n');
  }
}

export { startCountdown } from '../terminal/index.js';
export type { Countdown } from '../terminal/index.js';
export { copyToClipboard, osc52, promptPasted, readFirstLine } from '../terminal/index.js';


