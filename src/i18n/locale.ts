/**
 * Which language the CLI speaks. The locale is read the way gettext reads it
 * (LC_ALL, then LC_MESSAGES, then LANG: the first one set and non-empty wins);
 * `--lang` and OAUTH_HANDOFF_LANG override it. `ja…` means Japanese; anything
 * else, `C`, `POSIX` and unset mean English.
 */
export const LANGUAGES = ['en', 'ja'] as const;
export type Lang = (typeof LANGUAGES)[number];

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** `ja_JP.UTF-8` → ja, `en_US` → en, `C` → en */
export function langOfLocale(locale: string): Lang {
  return /^ja(?:[_.@-]|$)/i.test(locale) ? 'ja' : 'en';
}

/** The value of `--lang X` or `--lang=X` in argv (before `--`), read ahead of the parser so help text is already in that language. */
export function langFromArgv(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') return undefined;
    if (a === '--lang') return argv[i + 1];
    if (a.startsWith('--lang=')) return a.slice('--lang='.length);
  }
  return undefined;
}

/**
 * `override` is --lang (validated by the option table: en or ja). An
 * OAUTH_HANDOFF_LANG that is neither is ignored, so a typo there never stops
 * a script.
 */
export function detectLanguage(env: NodeJS.ProcessEnv, override?: string): Lang {
  if (isLang(override)) return override;
  const forced = env.OAUTH_HANDOFF_LANG;
  if (isLang(forced)) return forced;
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG'] as const) {
    const v = env[name];
    if (v !== undefined && v !== '') return langOfLocale(v);
  }
  return 'en';
}

/**
 * The language a web page is shown in, from the browser's Accept-Language
 * (RFC 9110 §12.5.4: the highest q among the languages we have), as real
 * authorization servers do; `fallback` when it names none of them.
 */
export function langOfAcceptLanguage(header: string | undefined, fallback: Lang = 'en'): Lang {
  if (!header) return fallback;
  let best: { lang: Lang; q: number } | undefined;
  for (const part of header.split(',')) {
    const [range = '', ...params] = part.trim().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q) || q <= 0) continue;
    const primary = range.trim().toLowerCase().split('-')[0];
    if (!isLang(primary)) continue;
    if (!best || q > best.q) best = { lang: primary, q };
  }
  return best?.lang ?? fallback;
}
