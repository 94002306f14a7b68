/** Placeholders are named: `{name}`. A placeholder without a value stays as written (a test checks the catalogs never need that). */
const PLACEHOLDER = /\{([a-z][a-z0-9_]*)\}/gi;

export type ParamValue = string | number;
export type Params = Readonly<Record<string, ParamValue>>;

export function fill(template: string, params: Params | undefined): string {
  if (!params) return template;
  return template.replace(PLACEHOLDER, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}

/** The placeholder names a template uses, sorted (for the catalog test). */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string))].sort();
}
