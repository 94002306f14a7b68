/** RFC 8707 Resource Indicators: which `resource` values a request may carry here. */
import { resourceNamed, type SandboxContext } from './context.js';
import { fail, type Outcome } from './state.js';

/**
 * RFC 8707 §2: an absolute URI without a fragment, naming one of this sandbox's
 * protected resources (else `invalid_target`). Profiles without resource
 * indicators ignore the parameter, as servers that do not know it do.
 */
export function resourceParameter(ctx: SandboxContext, raw: string | null | undefined): Outcome<string | undefined> {
  if (!ctx.profile.resourceIndicators || raw === null || raw === undefined) return { ok: true, value: undefined };
  if (!URL.canParse(raw) || raw.includes('#')) return fail('invalid_target', 'resource must be an absolute URI without a fragment (RFC 8707 §2)');
  if (!resourceNamed(ctx, raw)) return fail('invalid_target', `this server issues no tokens for the resource ${raw}`);
  return { ok: true, value: raw };
}
