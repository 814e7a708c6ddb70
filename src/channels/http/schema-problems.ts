import type { z } from 'zod';

/** "from.id: Required"-style messages for a rejected payload, safe to return to the caller. */
export function describeSchemaProblems(error: z.ZodError, what = 'payload'): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || what}: ${i.message}`)
    .join('; ');
}
