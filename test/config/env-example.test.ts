import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { configSchema } from '../../src/config/config-schema';
import { loadConfig } from '../../src/config/config';
import { REPO_ROOT } from '../support/app-harness';

describe('.env.example', () => {
  const file = path.join(REPO_ROOT, '.env.example');
  const documented = dotenv.parse(fs.readFileSync(file));

  it('documents every configuration variable', () => {
    const known = Object.keys(configSchema.shape);
    const missing = known.filter((name) => name !== 'NODE_ENV' && !(name in documented));
    expect(missing).toEqual([]);
  });

  it('is a valid configuration as it stands', () => {
    expect(() => loadConfig(documented, REPO_ROOT)).not.toThrow();
  });
});
