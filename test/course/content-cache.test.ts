import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAllLanguages } from '../../src/adapters/content/course-loader';
import { loadGlossary } from '../../src/adapters/content/glossary-loader';
import { REPO_ROOT } from '../support/app-harness';

// A small course (with deliberate exercise errors elsewhere, which these tests do not look at).
const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'course-exercises');

describe('the parsed course is cached by content, never served stale', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govai-content-cache-'));
    fs.cpSync(FIXTURE, dir, { recursive: true });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const english = async () => (await loadAllLanguages(dir)).find((l) => l.lang === 'en')!;
  const title = async () => (await english()).course?.title;
  const retitle = (to: string) => {
    const file = path.join(dir, 'en', 'course.md');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^title: .*$/m, `title: ${to}`));
  };

  it('an edited course file is read again, in the same process and the next', async () => {
    retitle('First title');
    expect(await title()).toBe('First title');
    retitle('Second title');
    expect(await title()).toBe('Second title');
    retitle('First title');
    // Back to content seen before: the cached parse of that content, which says the same.
    expect(await title()).toBe('First title');
  });

  it('an edit that breaks a file is reported, not hidden by an earlier parse', async () => {
    const before = (await english()).problems.filter((p) => p.file === 'en/course.md');
    expect(before).toEqual([]);
    const file = path.join(dir, 'en', 'course.md');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title:'));
    const after = (await english()).problems.filter((p) => p.file === 'en/course.md');
    expect(after.map((p) => p.message).join('\n')).toMatch(/title/);
  });

  it('an edited glossary is read again: a new term is defined at once, a broken file is reported', async () => {
    const file = path.join(dir, 'en', 'glossary.yaml');
    const term = (id: string, name: string) => `  - id: ${id}\n    term: "${name}"\n    definition: "A word used in this test course."\n`;
    fs.writeFileSync(file, `terms:\n${term('sandbox', 'regulatory sandbox')}`);
    expect((await loadGlossary(dir)).glossary.find('regulatory sandbox').id).toBe('sandbox');
    fs.writeFileSync(file, `terms:\n${term('sandbox', 'regulatory sandbox')}${term('pilot', 'pilot project')}`);
    expect((await loadGlossary(dir)).glossary.find('pilot project').id).toBe('pilot');
    fs.writeFileSync(file, 'terms: [');
    expect((await loadGlossary(dir)).problems.map((p) => p.file)).toContain('en/glossary.yaml');
  });
});
