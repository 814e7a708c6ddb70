import fs from 'node:fs';
import { createApp } from '../../src/app/create-app';
import { loadConfig } from '../../src/config/config';
import { validateCourse } from '../../src/adapters/content/course-loader';
import { CourseContentError, errorsOf, formatProblem } from '../../src/adapters/content/problems';
import { FIXTURES_DIR, REPO_ROOT, silentLogger } from './harness';
import { tempDir } from '../support/app-harness';

test('the app refuses to start on invalid English content, with the validate:course report', async () => {
  const dataDir = tempDir();
  const config = loadConfig({ HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', DATA_DIR: dataDir, KNOWLEDGE_DIR: FIXTURES_DIR, WEBCHAT_ENABLED: 'false' }, REPO_ROOT);
  const error = await createApp(config, { logger: silentLogger }).catch((e: unknown) => e);
  fs.rmSync(dataDir, { recursive: true, force: true });
  expect(error).toBeInstanceOf(CourseContentError);
  const report = errorsOf(await validateCourse(FIXTURES_DIR, { languages: ['en'] })).map((p) => formatProblem(p, FIXTURES_DIR));
  expect(report.length).toBeGreaterThan(5);
  for (const line of report) expect((error as Error).message).toContain(line);
});
