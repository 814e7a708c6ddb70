import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../config/repo-root';
import { withoutTrailingSlashes } from '../core/text-normalize';
import dotenv from 'dotenv';
import JSZip from 'jszip';
import { CodedError } from '../errors/coded-error';

export class TeamsPackageError extends CodedError {
  constructor(message: string, options?: ErrorOptions) {
    super('teams_package_invalid', message, options);
  }
}

export interface TeamsPackageOptions {
  /** MICROSOFT_APP_ID: the bot's Entra app id (a GUID). */
  appId?: string;
  orgName?: string;
  orgUrl?: string;
  /** PUBLIC_BASE_URL: its host is added to validDomains. */
  publicBaseUrl?: string;
  /** Folder with manifest.json, the icons and the localization files. */
  sourceDir: string;
  outFile: string;
}

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const DEVELOPER_NAME_MAX = 32;

/** The manifest with this deployment's bot id, developer and domains filled in. */
// biome-ignore lint/suspicious/noExplicitAny: the manifest is edited as plain JSON, then validated against the Teams schema.
export function fillManifest(manifest: Record<string, any>, options: Omit<TeamsPackageOptions, 'sourceDir' | 'outFile'>): Record<string, any> {
  if (!options.appId) throw new TeamsPackageError("MICROSOFT_APP_ID is not set: the Teams package needs the bot's Microsoft app id (a GUID from the Azure Bot registration).");
  if (!GUID.test(options.appId)) throw new TeamsPackageError(`MICROSOFT_APP_ID must be a GUID such as 00000000-1111-2222-3333-444444444444 (got "${options.appId}").`);
  const filled = structuredClone(manifest);
  filled.bots[0].botId = options.appId;
  // Resource-specific consent (reading channel and group-chat replies to discussion prompts) is granted to this app id.
  if (filled.webApplicationInfo) filled.webApplicationInfo = { ...filled.webApplicationInfo, id: options.appId, resource: `api://botid-${options.appId}` };
  if (options.orgName) filled.developer.name = options.orgName.slice(0, DEVELOPER_NAME_MAX);
  if (options.orgUrl) {
    const base = withoutTrailingSlashes(options.orgUrl);
    Object.assign(filled.developer, { websiteUrl: base, privacyUrl: `${base}/privacy`, termsOfUseUrl: `${base}/terms` });
  }
  if (options.publicBaseUrl) {
    const host = new URL(options.publicBaseUrl).host;
    filled.validDomains = [...new Set([...(filled.validDomains ?? []), host])];
  }
  return filled;
}

/** Writes the zip Teams accepts (manifest and the files it names, at the root) and returns its path. */
export async function buildTeamsPackage(options: TeamsPackageOptions): Promise<string> {
  const manifest = fillManifest(JSON.parse(fs.readFileSync(path.join(options.sourceDir, 'manifest.json'), 'utf8')), options);
  // The committed manifest's developer is a placeholder; a package must never publish it as if real.
  if (!options.orgName || !options.orgUrl)
    throw new TeamsPackageError('ORG_NAME and ORG_URL must be set: they are the developer named in the Teams store listing (the committed manifest only has placeholders).');
  const files = [manifest.icons.color, manifest.icons.outline, ...(manifest.localizationInfo?.additionalLanguages ?? []).map((l: { file: string }) => l.file)];
  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  for (const file of files) {
    const source = path.join(options.sourceDir, file);
    if (!fs.existsSync(source)) throw new TeamsPackageError(`${source} is named in manifest.json but does not exist.`);
    zip.file(file, fs.readFileSync(source));
  }
  const data = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  fs.mkdirSync(path.dirname(options.outFile), { recursive: true });
  fs.writeFileSync(options.outFile, data);
  return options.outFile;
}

/** `npm run package:teams`: reads MICROSOFT_APP_ID (and ORG_NAME, ORG_URL, PUBLIC_BASE_URL) from the environment or .env. */
async function main(): Promise<void> {
  const root = repoRoot();
  const envFile = path.join(process.cwd(), '.env');
  const env = { ...(fs.existsSync(envFile) ? dotenv.parse(fs.readFileSync(envFile)) : {}), ...process.env };
  const blank = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);
  const file = await buildTeamsPackage({
    appId: blank(env.MICROSOFT_APP_ID),
    orgName: blank(env.ORG_NAME),
    orgUrl: blank(env.ORG_URL),
    publicBaseUrl: blank(env.PUBLIC_BASE_URL),
    sourceDir: path.join(root, 'deployment', 'teams'),
    outFile: path.join(root, 'dist', 'teams', 'govai-coach-teams.zip'),
  });
  process.stdout.write(`${file}\n`);
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`package:teams: ${(err as Error).message}\n`);
    process.exit(err instanceof TeamsPackageError ? 2 : 1);
  });
}
