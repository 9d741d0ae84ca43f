import { z } from 'zod';

export type Env = Readonly<Record<string, string | undefined>>;

/** An integer read from an environment variable; refuses "12abc", "1.5" and out-of-range values. */
export function intVar(min: number, max: number, fallback: number) {
  return z
    .string()
    .trim()
    .regex(/^-?\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .optional()
    .transform((value) => value ?? fallback);
}

export function boolVar(fallback: boolean) {
  return z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .optional()
    .transform((value) => (value === undefined ? fallback : ['true', '1', 'yes'].includes(value)));
}

export function urlVar(protocols: readonly string[], fallback: string) {
  return z
    .string()
    .trim()
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    )
    .optional()
    .transform((value) => value ?? fallback);
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses `env` with `schema`; every bad variable is named in one error, none silently defaulted. */
export function parseEnv<S extends z.ZodType>(schema: S, env: Env): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.');
    const value = env[name];
    return `${name}=${value === undefined ? '(unset)' : JSON.stringify(value)}: ${issue.message}`;
  });
  throw new ConfigError(problems);
}

/** For a process's entry point: its config, or every problem on stderr and exit code 2 (no stack trace). */
export function configOrExit<T>(load: (env: Env) => T, env: Env = process.env): T {
  try {
    return load(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}
