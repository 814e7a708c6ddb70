import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { buildTeamsPackage, fillManifest, TeamsPackageError } from '../../src/cli/package-teams';
import { SHARED_DIR } from './card-support';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const SOURCE_DIR = path.join(REPO_ROOT, 'deployment', 'teams');
const APP_ID = '3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b';

function manifestValidator() {
  // The file declares draft-04 but uses const/if: validate with Ajv's default draft-07 vocabulary.
  const { $schema: _declared, ...schema } = JSON.parse(fs.readFileSync(path.join(SHARED_DIR, 'schemas', 'teams-manifest.schema.json'), 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile<Record<string, any>>(schema);
}

describe('Teams app package', () => {
  const validate = manifestValidator();
  const outFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'govai-teams-')), 'govai-coach-teams.zip');

  it('builds a zip whose manifest validates, with the bot id from MICROSOFT_APP_ID and both icons at the right sizes', async () => {
    const written = await buildTeamsPackage({ appId: APP_ID, orgName: 'Ministry of Digital Affairs', orgUrl: 'https://digital.gov.example', publicBaseUrl: 'https://coach.digital.gov.example', sourceDir: SOURCE_DIR, outFile });
    expect(written).toBe(outFile);
    const zip = await JSZip.loadAsync(fs.readFileSync(outFile));
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
    const ok = validate(manifest);
    if (!ok) throw new Error(JSON.stringify(validate.errors?.slice(0, 5)));
    expect(manifest.manifestVersion).toBe('1.29');
    expect(manifest.bots[0].botId).toBe(APP_ID);
    expect(manifest.bots[0].scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(manifest.bots[0].commandLists[0].commands.map((c: { title: string }) => c.title)).toEqual(expect.arrayContaining(['help', 'start', 'progress', 'review', 'modules', 'reminders']));
    expect(manifest.developer).toMatchObject({ name: 'Ministry of Digital Affairs', privacyUrl: 'https://digital.gov.example/privacy' });
    expect(manifest.validDomains).toContain('coach.digital.gov.example');

    const color = PNG.sync.read(await zip.file(manifest.icons.color)!.async('nodebuffer'));
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = PNG.sync.read(await zip.file(manifest.icons.outline)!.async('nodebuffer'));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    // Teams requires the outline icon to be white on transparent.
    let visible = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = outline.data.subarray(i, i + 4);
      if (a === 0) continue;
      visible++;
      expect([r, g, b]).toEqual([255, 255, 255]);
    }
    expect(visible).toBeGreaterThan(20);
    expect(visible).toBeLessThan(32 * 32 / 2);

    for (const { file } of manifest.localizationInfo.additionalLanguages) {
      const strings = JSON.parse(await zip.file(file)!.async('string'));
      expect(strings['name.short']).toBeTruthy();
    }
  });

  it('keeps the committed manifest valid as well (placeholder bot id)', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(SOURCE_DIR, 'manifest.json'), 'utf8'));
    expect(validate(manifest)).toBe(true);
  });

  it('refuses to build without MICROSOFT_APP_ID, or with one that is not a GUID, with a clear message', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(SOURCE_DIR, 'manifest.json'), 'utf8'));
    expect(() => fillManifest(manifest, {})).toThrow(TeamsPackageError);
    expect(() => fillManifest(manifest, {})).toThrow(/MICROSOFT_APP_ID is not set/);
    expect(() => fillManifest(manifest, { appId: 'my-bot' })).toThrow(/must be a GUID/);
    await expect(buildTeamsPackage({ sourceDir: SOURCE_DIR, outFile: `${outFile}.missing.zip` })).rejects.toThrow(/MICROSOFT_APP_ID/);
    expect(fs.existsSync(`${outFile}.missing.zip`)).toBe(false);
  });

  it('is validated by a schema check that catches a broken manifest', () => {
    const manifest = fillManifest(JSON.parse(fs.readFileSync(path.join(SOURCE_DIR, 'manifest.json'), 'utf8')), { appId: APP_ID });
    expect(validate({ ...manifest, manifestVersion: '1.5' })).toBe(false);
    expect(validate({ ...manifest, bots: [{ ...manifest.bots[0], scopes: ['everywhere'] }] })).toBe(false);
  });
});
