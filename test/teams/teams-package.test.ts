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
    const written = await buildTeamsPackage({
      appId: APP_ID,
      orgName: 'Ministry of Digital Affairs',
      orgUrl: 'https://digital.gov.example',
      publicBaseUrl: 'https://coach.digital.gov.example',
      sourceDir: SOURCE_DIR,
      outFile,
    });
    expect(written).toBe(outFile);
    const zip = await JSZip.loadAsync(fs.readFileSync(outFile));
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
    const ok = validate(manifest);
    if (!ok) throw new Error(JSON.stringify(validate.errors?.slice(0, 5)));
    expect(manifest.manifestVersion).toBe('1.29');
    expect(manifest.bots[0].botId).toBe(APP_ID);
    expect(manifest.bots[0].scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(manifest.bots[0].commandLists[0].commands.map((c: { title: string }) => c.title)).toEqual(expect.arrayContaining(['help', 'start', 'progress', 'review', 'modules', 'reminders']));
    // Teams and group chats list the group features, discussions first among them.
    const groupList = manifest.bots[0].commandLists.find((l: { scopes: string[] }) => l.scopes.includes('team') && l.scopes.includes('groupChat'));
    expect(groupList.commands.map((c: { title: string }) => c.title)).toEqual(expect.arrayContaining(['help', 'discuss', 'modules']));
    expect(manifest.developer).toMatchObject({ name: 'Ministry of Digital Affairs', privacyUrl: 'https://digital.gov.example/privacy' });
    expect(manifest.validDomains).toContain('coach.digital.gov.example');
    // Resource-specific consent lets the bot read replies to its discussion prompts without an @mention.
    expect(manifest.authorization.permissions.resourceSpecific).toEqual([
      { name: 'ChannelMessage.Read.Group', type: 'Application' },
      { name: 'ChatMessage.Read.Chat', type: 'Application' },
    ]);
    expect(manifest.webApplicationInfo).toEqual({ id: APP_ID, resource: `api://botid-${APP_ID}` });

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
    expect(visible).toBeLessThan((32 * 32) / 2);

    for (const { file } of manifest.localizationInfo.additionalLanguages) {
      const strings = JSON.parse(await zip.file(file)!.async('string'));
      expect(strings['name.short']).toBeTruthy();
    }
  });

  it('lists the app in Spanish, French, Portuguese and Arabic, with command words the bot understands in each', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(SOURCE_DIR, 'manifest.json'), 'utf8'));
    const english: Record<string, string> = {
      'name.full': manifest.name.full,
      'description.short': manifest.description.short,
      'description.full': manifest.description.full,
      ...Object.fromEntries(
        manifest.description.features.flatMap((f: { title: string; description: string }, i: number) => [
          [`description.features[${i}].title`, f.title],
          [`description.features[${i}].description`, f.description],
        ]),
      ),
    };
    const languages = manifest.localizationInfo.additionalLanguages.map((l: { languageTag: string }) => l.languageTag);
    expect(languages.sort()).toEqual(['ar', 'es', 'fr', 'pt']);
    for (const { languageTag, file } of manifest.localizationInfo.additionalLanguages) {
      const strings = JSON.parse(fs.readFileSync(path.join(SOURCE_DIR, file), 'utf8')) as Record<string, string>;
      // Every listing text is translated, not a copy of the English one.
      for (const [key, text] of Object.entries(english)) expect([languageTag, key, strings[key] && strings[key] !== text]).toEqual([languageTag, key, true]);
      const words = commandWords(languageTag);
      for (const [key, value] of Object.entries(strings)) {
        if (key === '$schema') continue;
        // Each key names a string the manifest has, so Teams applies it.
        const target = key
          .split(/\.|\[(\d+)\]/)
          .filter(Boolean)
          .reduce<any>((node, part) => node?.[part], manifest);
        expect([file, key, typeof target]).toEqual([file, key, 'string']);
        // A command title is sent as the message when picked: it must be a command in that language.
        if (/commands\[\d+\]\.title$/.test(key)) expect([file, key, words.has(value.toLowerCase())]).toEqual([file, key, true]);
      }
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
    // Nor with the placeholder organisation of the committed manifest.
    await expect(buildTeamsPackage({ appId: APP_ID, sourceDir: SOURCE_DIR, outFile: `${outFile}.no-org.zip` })).rejects.toThrow(/ORG_NAME and ORG_URL must be set/);
    expect(fs.existsSync(`${outFile}.no-org.zip`)).toBe(false);
  });

  it('is validated by a schema check that catches a broken manifest', () => {
    const manifest = fillManifest(JSON.parse(fs.readFileSync(path.join(SOURCE_DIR, 'manifest.json'), 'utf8')), { appId: APP_ID });
    expect(validate({ ...manifest, manifestVersion: '1.5' })).toBe(false);
    expect(validate({ ...manifest, bots: [{ ...manifest.bots[0], scopes: ['everywhere'] }] })).toBe(false);
  });
});

/** Every typed command word of a language (the "commands" alias lists of its locale files). */
function commandWords(lang: string): Set<string> {
  const words = new Set<string>();
  const collect = (node: unknown, inCommands: boolean): void => {
    if (Array.isArray(node)) for (const w of node) if (inCommands && typeof w === 'string') words.add(w.toLowerCase());
    if (node && typeof node === 'object' && !Array.isArray(node)) for (const [k, v] of Object.entries(node)) collect(v, inCommands || k === 'commands');
  };
  const dir = path.join(REPO_ROOT, 'locales', lang);
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) collect(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')), false);
  return words;
}
