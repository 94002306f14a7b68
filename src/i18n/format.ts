/** Placeholders are named: `{name}`. A placeholder without a value stays as written (a test checks the catalogs never need that). */
const PLACEHOLDER = /\{([a-z][a-z0-9_]*)\}/gi;

/**
 * A placeholder's value: data (a name, a path, a status), or a noun phrase that
 * is itself a catalog message (`{ key, params, text }`, e.g. "the token endpoint {url}"),
 * rendered in the same language as the sentence around it.
 */
export type ParamValue = string | number | NestedMessage;
export interface NestedMessage {
  readonly key: string;
  readonly params?: Params;
  /** the English text */
  readonly text: string;
}
export type Params = Readonly<Record<string, ParamValue>>;

/** Fill placeholders; a nested message is rendered by `nested` (default: its English text). */
export function fill(template: string, params: Params | undefined, nested: (m: NestedMessage) => string = (m) => m.text): string {
  if (!params) return template;
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    if (!Object.hasOwn(params, name)) return whole;
    const v = params[name] as ParamValue;
    return typeof v === 'object' ? nested(v) : String(v);
  });
}

/** The placeholder names a template uses, sorted (for the catalog test). */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string))].sort();
}
