/**
 * The person-facing side of the browser step: opening the browser, showing
 * the URL (and a QR code), the countdown, OSC 52 clipboard writes and reading
 * a pasted line. Everything here writes to stderr or the TTY, never to stdout.
 */
import { CODES, HandoffError } from '../errors.js';
import { renderQr } from '../terminal/index.js';
import type { Output } from '../terminal/index.js';
import { message } from '../i18n/index.js';

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
export { copyToClipboard, osc52, promptPasted } from '../terminal/index.js';

/**
 * The first non-empty line of a stream (a pasted code or URL piped in), or
 * ABORTED when the stream ends first, the time runs out or `signal` aborts.
 */
export function readFirstLine(
  input: NodeJS.ReadableStream,
  opts: { timeoutMs: number; signal?: AbortSignal; maxBytes?: number },
): Promise<string> {
  const maxBytes = opts.maxBytes ?? 64 * 1024;
  return new Promise((resolve, reject) => {
    let buffered = '';
    const finish = (err: HandoffError | undefined, line?: string) => {
      clearTimeout(timer);
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      opts.signal?.removeEventListener('abort', onAbort);
      (input as { pause?: () => void }).pause?.();
      (input as { unref?: () => void }).unref?.();
      if (err) reject(err);
      else resolve(line as string);
    };
    const onData = (chunk: Buffer | string) => {
      buffered += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      if (buffered.length > maxBytes) return finish(new HandoffError(message('browser.input.too_long', { bytes: maxBytes }), { code: CODES.USAGE }));
      const lines = buffered.split(/\r?\n/);
      for (const line of lines.slice(0, -1)) if (line.trim() !== '') return finish(undefined, line.trim());
      buffered = lines[lines.length - 1] ?? '';
    };
    const onEnd = () => {
      if (buffered.trim() !== '') return finish(undefined, buffered.trim());
      finish(new HandoffError(message('browser.input.ended'), { code: CODES.ABORTED }));
    };
    const onError = (e: Error) => finish(new HandoffError(message('browser.input.read_failed', { error: e.message }), { code: CODES.ABORTED, cause: e }));
    const onAbort = () => finish(new HandoffError(message('browser.input.cancelled'), { code: CODES.ABORTED }));
    const timer = setTimeout(
      () => finish(new HandoffError(message('browser.input.timeout', { seconds: Math.round(opts.timeoutMs / 1000) }), { code: CODES.ABORTED })),
      opts.timeoutMs,
    );
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onError);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    (input as { resume?: () => void }).resume?.();
  });
}

