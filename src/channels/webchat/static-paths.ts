import path from 'node:path';
import { repoRoot } from '../../config/repo-root';

export function webChatPublicDir(): string {
  return path.join(repoRoot(), 'src', 'channels', 'webchat', 'public');
}

/** botframework-webchat's browser bundle (its package exports only lib/ and the .mjs build). */
export function webChatBundlePath(): string {
  return path.join(path.dirname(require.resolve('botframework-webchat')), '..', 'dist', 'webchat.js');
}
