import type { Violation } from '@dutch/domain';
import type { Hook } from '@hono/zod-openapi';
import { ApiError } from '../api-error.ts';

interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code: string;
  /** unrecognized_keys: the unknown keys, which the path (their parent) does not name. */
  readonly keys?: readonly string[];
  /** invalid_union: each option's own issues (empty when a discriminator matched none). */
  readonly errors?: readonly (readonly Issue[])[];
}

/**
 * A body that fits no option of a union (a Dutch or an English bid, say) is judged against the
 * option it comes closest to, the one with the fewest issues, so the 400 names the field to fix
 * instead of saying "invalid input". Paths inside an option are relative to the union's own.
 */
function closestOption(issues: readonly Issue[]): Issue[] {
  return issues.flatMap((issue) => {
    const options = issue.code === 'invalid_union' ? (issue.errors ?? []).filter((o) => o.length > 0) : [];
    if (options.length === 0) return [issue];
    const closest = options.reduce((best, option) => (option.length < best.length ? option : best));
    return closestOption(closest.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] })));
  });
}

/** Turns zod's issues into the contract's 400, naming each field. */
function invalidRequest(issues: readonly Issue[], target: string): ApiError {
  const violations: Violation[] = closestOption(issues).flatMap((issue) => {
    const paths =
      issue.code === 'unrecognized_keys' && issue.keys !== undefined && issue.keys.length > 0
        ? issue.keys.map((key) => [...issue.path, key])
        : [issue.path];
    return paths.map((path) => ({
      field: path.length > 0 ? path.map(String).join('.') : target,
      rule: issue.code,
      message: issue.code === 'unrecognized_keys' ? 'is not a known field' : issue.message,
    }));
  });
  const message = violations.map((v) => `${v.field}: ${v.message}`).join('; ');
  return new ApiError('INVALID_REQUEST', message, violations);
}

// biome-ignore lint/suspicious/noExplicitAny: the hook is shared by every route, whatever its schemas.
export const validationHook: Hook<any, any, any, any> = (result) => {
  if (!result.success) throw invalidRequest(result.error.issues, result.target);
};
