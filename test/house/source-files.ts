import fs from 'node:fs';
import path from 'node:path';

/** Every file below `dir` whose name `accept`s, skipping folders named in `skip`; declaration files are never sources. */
export function sourceFiles(dir: string, accept: (name: string) => boolean, skip: readonly string[] = []): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return skip.includes(entry.name) ? [] : sourceFiles(full, accept, skip);
    return accept(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}
