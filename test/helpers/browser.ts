/**
 * A real browser for end-to-end tests: Debian's chromium driven by
 * playwright-core, with a fresh user-data-dir each launch. Every launch is
 * closed (and its profile directory removed) by the test that made it, even
 * when the test fails: per test through t.teardown, or per file through
 * test.after.always.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext, TestFn } from 'ava';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.OAUTH_HANDOFF_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]);

export interface BrowserHandle {
  context: BrowserContext;
  /** a new tab, closed when the test ends */
  newPage(t: ExecutionContext): Promise<Page>;
  close(): Promise<void>;
}

/** Launch chromium with a fresh profile directory; close() removes it. */
export async function launchChromium(): Promise<BrowserHandle> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'oh-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS],
      timeout: 30_000,
    });
  } catch (e) {
    await rm(userDataDir, { recursive: true, force: true });
    throw e;
  }
  context.setDefaultTimeout(15_000);
  let closed: Promise<void> | undefined;
  return {
    context,
    async newPage(t) {
      const page = await context.newPage();
      t.teardown(() => page.close().catch(() => undefined));
      return page;
    },
    close() {
      closed ??= context
        .close()
        .catch(() => undefined)
        .then(() => rm(userDataDir, { recursive: true, force: true }));
      return closed;
    },
  };
}

/** A browser for one test, closed in t.teardown even when the test fails. */
export async function browserFor(t: ExecutionContext): Promise<BrowserHandle> {
  const handle = await launchChromium();
  t.teardown(() => handle.close());
  return handle;
}

/**
 * One browser for all tests of a file (launching costs about a second):
 * started on first use, closed in test.after.always whatever happened.
 */
export function sharedBrowser(test: TestFn): () => Promise<BrowserHandle> {
  let launching: Promise<BrowserHandle> | undefined;
  test.after.always(async () => {
    if (launching) await (await launching.catch(() => undefined))?.close();
  });
  return () => (launching ??= launchChromium());
}
