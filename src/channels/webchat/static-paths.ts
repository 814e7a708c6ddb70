import fs from 'node:fs';
import path from 'node:path';

/**
 * The repository root (the folder with govai-coach's package.json), found from this file
 * both under src/ (ts-jest) and dist/src/ (compiled): `npm run build` compiles TypeScript
 * only, so static files are served from the source tree in both cases.
 */
export function findRepoRoot(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file) && (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string }).name === 'govai-coach') return dir;
    if (path.dirname(dir) === dir) throw new Error(`govai-coach's package.json not found above ${from}`);
  }
}

export function webChatPublicDir(): string {
  return path.join(findRepoRoot(), 'src', 'channels', 'webchat', 'public');
}

/** botframework-webchat's browser bundle (its package exports only lib/ and the .mjs build). */
export function webChatBundlePath(): string {
  return path.join(path.dirname(require.resolve('botframework-webchat')), '..', 'dist', 'webchat.js');
}
