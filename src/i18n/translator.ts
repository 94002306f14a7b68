import type { MessageKey, ParamsArg } from './catalog.js';
import { catalog } from './catalogs.js';
import { fill } from './format.js';
import type { Params } from './format.js';
import type { Lang } from './locale.js';

/** Renders messages in one language. Made once per CLI run and passed along; its catalog is read on the first message. */
export interface Translator {
  readonly lang: Lang;
  t<K extends MessageKey>(key: K, ...params: ParamsArg<K>): string;
  /** For a message whose key and parameters arrived as data (an error): the same as `t`, unchecked. */
  render(key: MessageKey, params?: Params): string;
  /** "2 h 5 min" / "2 時間 5 分" */
  duration(ms: number): string;
  /** "in 2 h 5 min" / "2 時間 5 分後", "3 min ago" / "3 分前" */
  relative(ms: number): string;
}

export function createTranslator(lang: Lang): Translator {
  const render = (key: MessageKey, params?: Params): string => {
    const c = catalog(lang);
    return fill(c[key], params, (m) => (Object.hasOwn(c, m.key) ? render(m.key as MessageKey, m.params) : m.text));
  };
  const duration = (ms: number): string => {
    const abs = Math.abs(ms);
    if (abs < 1000) return render('duration.ms', { n: Math.round(abs) });
    if (abs < 100_000) return render('duration.s', { n: Math.round(abs / 100) / 10 });
    const minutes = Math.round(abs / 60_000);
    if (minutes < 90) return render('duration.min', { n: minutes });
    if (minutes < 48 * 60) return render('duration.h_min', { h: Math.floor(minutes / 60), min: minutes % 60 });
    return render('duration.d', { n: Math.round(minutes / 1440) });
  };
  return {
    lang,
    t: (key, ...params) => render(key, params[0] as Params | undefined),
    render,
    duration,
    relative: (ms) => render(ms >= 0 ? 'duration.in' : 'duration.ago', { duration: duration(ms) }),
  };
}

/** English, for what programs and logs read (JSON log lines, library messages). */
export const english: Translator = createTranslator('en');
