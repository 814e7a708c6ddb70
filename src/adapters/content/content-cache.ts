import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Course } from '../../core/course/content-model';
import type { Problem } from './problems';

/** A language as loaded and cross-checked (the shape course-loader returns), without the Set. */
interface StoredLoad {
  lang: string;
  course?: Course;
  problems: Problem[];
  filesWithErrors: string[];
}

interface Load {
  lang: string;
  course?: Course;
  problems: Problem[];
  filesWithErrors: Set<string>;
}

const CACHE_DIR = path.join(os.tmpdir(), 'govai-coach-content-cache');
const memory = new Map<string, Promise<unknown>>();

/**
 * Parsing and validating the course (YAML front matter, schemas, cross-language checks) takes
 * seconds for five languages, and the app reads it twice at start (catalog, then passages). The
 * result is cached in the process and in a file keyed by a hash of every content file's bytes
 * and of the loader's own code, so an unchanged course is parsed once per machine; any edit, or
 * a new version of the loader, parses again. A cache that cannot be written is simply skipped.
 */
export async function cachedLoads<T extends Load>(knowledgeDir: string, parse: () => Promise<T[]>): Promise<T[]> {
  const key = fingerprint(knowledgeDir);
  const hit = memory.get(key) as Promise<T[]> | undefined;
  if (hit) return hit;
  const loading = (async () => {
    const file = path.join(CACHE_DIR, `${key}.json`);
    const stored = readStored(file);
    if (stored) return stored.map((s) => ({ ...s, filesWithErrors: new Set(s.filesWithErrors) }) as unknown as T);
    const loads = await parse();
    writeStored(file, loads.map((l) => ({ ...l, filesWithErrors: [...l.filesWithErrors] })));
    return loads;
  })();
  memory.set(key, loading);
  loading.catch(() => memory.delete(key));
  return loading;
}

function fingerprint(knowledgeDir: string): string {
  const hash = createHash('sha256');
  hash.update(`${path.resolve(knowledgeDir)}\n`);
  for (const dir of [__dirname, path.join(__dirname, '..', '..', 'core', 'course')]) hashTree(hash, dir, (name) => /\.(js|ts)$/.test(name));
  hashTree(hash, knowledgeDir, (name) => /\.(md|ya?ml)$/.test(name), (name) => name !== 'references');
  return hash.digest('hex').slice(0, 32);
}

function hashTree(hash: ReturnType<typeof createHash>, dir: string, file: (name: string) => boolean, folder: (name: string) => boolean = () => true): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (folder(entry.name)) hashTree(hash, full, file, folder);
    } else if (file(entry.name)) {
      hash.update(`${full}\n`);
      hash.update(fs.readFileSync(full));
    }
  }
}

/** Each content or loader change adds a file of a few MB: keep only the most recent few. */
const KEEP = 6;

function prune(dir: string): void {
  const files = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => ({ full: path.join(dir, name), at: fs.statSync(path.join(dir, name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const old of files.slice(KEEP)) fs.rmSync(old.full, { force: true });
}

function readStored(file: string): StoredLoad[] | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    return Array.isArray(parsed) ? (parsed as StoredLoad[]) : undefined;
  } catch {
    return undefined;
  }
}

function writeStored(file: string, loads: StoredLoad[]): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(loads));
    fs.renameSync(tmp, file);
    prune(path.dirname(file));
  } catch {
    // A read-only or full temp folder only costs the next start a parse.
  }
}
