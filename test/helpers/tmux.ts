/**
 * A terminal for tests: a private tmux server running one command in a pane
 * of a chosen size; keys are typed with send-keys and the screen is read with
 * capture-pane. Killed when the test ends.
 */
import type { ExecutionContext } from 'ava';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const TMUX = '/usr/bin/tmux';

export interface Pane {
  keys(...keys: string[]): Promise<void>;
  /** type text literally (no key names) */
  type(text: string): Promise<void>;
  /** the screen and its scroll-back, wrapped lines joined */
  screen(): Promise<string>;
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
}

/** A private tmux server running `command` in a pane (200×50 unless said); killed when the test ends. */
export async function tmux(t: ExecutionContext, dir: string, env: NodeJS.ProcessEnv, command: string, size = { x: 200, y: 50 }): Promise<Pane & { visible(): Promise<string>; escaped(): Promise<string> }> {
  const socket = join(dir, 'tmux.sock');
  const tm = (...args: string[]) => run(TMUX, ['-S', socket, ...args], { env: { ...env, TERM: 'xterm-256color' } });
  t.teardown(() => tm('kill-server').then(() => undefined, () => undefined));
  await tm('new-session', '-d', '-s', 'login', '-x', String(size.x), '-y', String(size.y), command);
  const screen = async () => (await tm('capture-pane', '-p', '-J', '-S', '-500', '-t', 'login')).stdout;
  return {
    /** the screen with its colours and attributes, as escape sequences (capture-pane -e) */
    escaped: async () => (await tm('capture-pane', '-p', '-e', '-J', '-S', '-500', '-t', 'login')).stdout,
    /** only what is on the screen now (no scroll-back), rows as the terminal shows them */
    visible: async () => (await tm('capture-pane', '-p', '-t', 'login')).stdout,
    keys: async (...keys) => void (await tm('send-keys', '-t', 'login', ...keys)),
    type: async (text) => void (await tm('send-keys', '-t', 'login', '-l', '--', text)),
    screen,
    async waitFor(re, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const s = await screen();
        if (re.test(s)) return s;
        if (Date.now() > until) throw new Error(`${re} did not appear in the pane within ${timeoutMs} ms; the pane shows:\n${s}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

