import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/config';
import { prepareQa } from '../../src/adapters/retrieval/qa-runtime';
import { REPO_ROOT, SHARED_INDEX_DIR } from './app-harness';

/**
 * Before any suite: the course is parsed and its retrieval index built once, into the index
 * folder the app tests share. Otherwise the first suite to boot the app pays for it (tens of
 * seconds on a small machine) inside its own time limit.
 */
export default async function globalSetup(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govai-global-setup-'));
  try {
    const config = loadConfig({ DATA_DIR: dataDir, INDEX_DIR: SHARED_INDEX_DIR, KNOWLEDGE_DIR: path.join(REPO_ROOT, 'knowledge'), LOG_LEVEL: 'silent' }, REPO_ROOT);
    await prepareQa(config, { offline: true });
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
