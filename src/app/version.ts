import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../config/repo-root';

/** The package version, read once from package.json. */
export const VERSION = (JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { version: string }).version;
