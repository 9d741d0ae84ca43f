import type { Violation } from '@dutch/domain';
import type { Hook } from '@hono/zod-openapi';
import { ApiError } from '../api-error.ts';

interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code: string;
  /** unrecognized_keys: the unknown keys, which the path (their parent) does not name. */
  readonly keys?: readonly string[];
}

/** Turns zod's issues into the contract's 400, naming each field. */
function invalidRequest(issues: readonly Issue[], target: string): ApiError {
  const violations: Violation[] = issues.flatMap((issue) => {
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
