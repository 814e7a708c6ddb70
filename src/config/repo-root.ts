import fs from 'node:fs';
import path from 'node:path';
import { CodedError } from '../errors/coded-error';

let cached: string | undefined;

/**
 * The folder with govai-coach's package.json, found from this file both under src/ (ts-jest)
 * and dist/src/ (compiled). locales/, prompts/, knowledge/, deployment/ and the web chat's
 * static files are read from there, since `npm run build` compiles TypeScript only.
 */
export function repoRoot(): string {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file) && (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string }).name === 'govai-coach') return (cached = dir);
    if (path.dirname(dir) === dir) throw new CodedError('repo_root_not_found', `govai-coach's package.json was not found above ${__dirname}`);
  }
}
