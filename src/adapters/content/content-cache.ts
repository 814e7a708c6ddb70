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
    writeJson(
      file,
      loads.map((l) => ({ ...l, filesWithErrors: [...l.filesWithErrors] })),
    );
    return loads;
  })();
  memory.set(key, loading);
  loading.catch(() => memory.delete(key));
  return loading;
}

/** The same cache for another value parsed from the content (the glossary), stored under `name`. */
export async function cachedContent<T>(knowledgeDir: string, name: string, parse: () => Promise<T>): Promise<T> {
  const key = `${fingerprint(knowledgeDir)}-${name}`;
  const hit = memory.get(key) as Promise<T> | undefined;
  if (hit) return hit;
  const loading = (async () => {
    const file = path.join(CACHE_DIR, `${key}.json`);
    const stored = readJson(file);
    if (stored !== undefined) return stored as T;
    const value = await parse();
    writeJson(file, value);
    return value;
  })();
  memory.set(key, loading);
  loading.catch(() => memory.delete(key));
  return loading;
}

/**
 * Per-file results of parsing a folder (the reference documents: splitting and screening every
 * sentence took most of a start at 10× the course), kept in one cache file per folder, each
 * entry keyed by the file's bytes; `code` are the folders of the parser's own code, so a new
 * version parses again. Only the files seen since open() are written back by save().
 */
export function openFileCache<T>(folder: string, code: string[]): { get(rel: string, raw: Buffer): T | undefined; set(rel: string, raw: Buffer, value: T): void; save(): void } {
  const hash = createHash('sha256');
  hash.update(`${path.resolve(folder)}\n`);
  for (const dir of code) hashTree(hash, dir, (name) => /\.(js|ts)$/.test(name));
  const file = path.join(CACHE_DIR, `files-${hash.digest('hex').slice(0, 32)}.json`);
  const stored = (readJson(file) ?? {}) as Record<string, { sha: string; value: T }>;
  const seen: Record<string, { sha: string; value: T }> = {};
  let changed = false;
  const sha = (raw: Buffer) => createHash('sha256').update(raw).digest('hex');
  return {
    get(rel, raw) {
      const entry = stored[rel];
      if (!entry || entry.sha !== sha(raw)) return undefined;
      seen[rel] = entry;
      return entry.value;
    },
    set(rel, raw, value) {
      seen[rel] = { sha: sha(raw), value };
      changed = true;
    },
    save() {
      if (changed || Object.keys(seen).length !== Object.keys(stored).length) writeJson(file, seen);
    },
  };
}

function fingerprint(knowledgeDir: string): string {
  const hash = createHash('sha256');
  hash.update(`${path.resolve(knowledgeDir)}\n`);
  for (const dir of [__dirname, path.join(__dirname, '..', '..', 'core', 'course')]) hashTree(hash, dir, (name) => /\.(js|ts)$/.test(name));
  hashTree(
    hash,
    knowledgeDir,
    (name) => /\.(md|ya?ml)$/.test(name),
    (name) => name !== 'references',
  );
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
  const parsed = readJson(file);
  return Array.isArray(parsed) ? (parsed as StoredLoad[]) : undefined;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function writeJson(file: string, value: unknown): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(value));
    fs.renameSync(tmp, file);
    prune(path.dirname(file));
  } catch {
    // A read-only or full temp folder only costs the next start a parse.
  }
}
