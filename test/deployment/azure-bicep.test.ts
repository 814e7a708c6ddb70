import fs from 'node:fs';
import path from 'node:path';
import { configSchema } from '../../src/config/config-schema';
import { REPO_ROOT } from '../support/app-harness';
import { arrayItems, resources, secureParams, stringProperty, stripComments } from './bicep-text';

const FILE = path.join(REPO_ROOT, 'deployment', 'azure', 'main.bicep');
const SECRET_SETTING = /SECRET|PASSWORD|_KEY$|TOKEN$|^DATABASE_URL$/;

describe('Azure template (deployment/azure/main.bicep)', () => {
  const raw = fs.readFileSync(FILE, 'utf8');
  const source = stripComments(raw);
  const all = resources(source);
  const ofType = (type: string) => all.filter((r) => r.type === type);
  const [app] = ofType('Microsoft.App/containerApps');
  const [db] = ofType('Microsoft.DBforPostgreSQL/flexibleServers');
  const env = arrayItems(app.body, 'env');

  it('parses: every resource body is bracket-balanced and the main resources are there', () => {
    expect(all.map((r) => r.type)).toEqual(
      expect.arrayContaining([
        'Microsoft.App/containerApps',
        'Microsoft.App/managedEnvironments',
        'Microsoft.DBforPostgreSQL/flexibleServers',
        'Microsoft.Network/virtualNetworks',
        'Microsoft.Network/privateDnsZones',
        'Microsoft.KeyVault/vaults',
        'Microsoft.KeyVault/vaults/secrets',
        'Microsoft.BotService/botServices',
        'Microsoft.BotService/botServices/channels',
      ]),
    );
    expect(new Set(all.map((r) => r.symbol)).size).toBe(all.length);
  });

  it('gives the container only real configuration variables, with the public URL and the organisation wired', () => {
    const names = env.map((item) => stringProperty(item, 'name'));
    const known = Object.keys(configSchema.shape);
    expect(names.filter((n) => !n || !known.includes(n))).toEqual([]);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['PUBLIC_BASE_URL', 'ORG_URL', 'ORG_NAME', 'MICROSOFT_APP_ID', 'MICROSOFT_APP_TENANT_ID', 'DATABASE_URL', 'METRICS_TOKEN']));
    const settingOf = (name: string) => env.find((item) => stringProperty(item, 'name') === name)!;
    expect(settingOf('PUBLIC_BASE_URL')).toMatch(/value:\s*baseUrl/);
    expect(source).toMatch(/var baseUrl = empty\(publicBaseUrl\) \? 'https:\/\/\$\{name\}\.\$\{env\.properties\.defaultDomain\}' : publicBaseUrl/);
    expect(settingOf('ORG_URL')).toMatch(/value:\s*orgUrl/);
    expect(settingOf('ORG_NAME')).toMatch(/value:\s*orgName/);
  });

  it('passes secrets to the container only as Key Vault references', () => {
    const secrets = arrayItems(app.body, 'secrets');
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(secret).toMatch(/keyVaultUrl:\s*\w+\.properties\.secretUri/);
      expect(secret).toMatch(/identity:\s*identity\.id/);
      expect(secret).not.toMatch(/\bvalue:/);
    }
    // Every credential setting comes from a secretRef, never an inline value.
    for (const item of env.filter((i) => SECRET_SETTING.test(stringProperty(i, 'name')!))) {
      expect(item).toMatch(/secretRef:\s*'[\w-]+'/);
      expect(item).not.toMatch(/\bvalue:/);
    }
    const secretNames = secrets.map((s) => stringProperty(s, 'name'));
    for (const ref of env.map((i) => stringProperty(i, 'secretRef')).filter(Boolean)) expect(secretNames).toContain(ref);
    // No @secure() parameter is written into the Container App itself.
    const secure = secureParams(source);
    expect(secure).toEqual(expect.arrayContaining(['botAppPassword', 'postgresPassword', 'metricsToken']));
    for (const param of secure) expect(app.body).not.toMatch(new RegExp(`\\b${param}\\b`));
    const [vault] = ofType('Microsoft.KeyVault/vaults');
    expect(vault.body).toMatch(/enableRbacAuthorization:\s*true/);
    expect(source).toMatch(/roleDefinitions', keyVaultSecretsUserRole\)/);
  });

  it("makes the database reachable only from the app's virtual network: private access, no firewall rule", () => {
    expect(ofType('Microsoft.DBforPostgreSQL/flexibleServers/firewallRules')).toEqual([]);
    expect(source).not.toContain('0.0.0.0/0');
    expect(source).not.toMatch(/startIpAddress|AllowAzureServices/);
    expect(db.body).toMatch(/publicNetworkAccess:\s*'Disabled'/);
    expect(db.body).toMatch(/delegatedSubnetResourceId:\s*vnet\.properties\.subnets\[1\]\.id/);
    expect(db.body).toMatch(/privateDnsZoneArmResourceId:\s*postgresDns\.id/);
    const [vnet] = ofType('Microsoft.Network/virtualNetworks');
    const subnets = arrayItems(vnet.body, 'subnets');
    expect(subnets.map((s) => stringProperty(s, 'name'))).toEqual(['apps', 'postgres']);
    expect(subnets[1]).toContain("serviceName: 'Microsoft.DBforPostgreSQL/flexibleServers'");
    const [environment] = ofType('Microsoft.App/managedEnvironments');
    expect(environment.body).toMatch(/infrastructureSubnetId:\s*vnet\.properties\.subnets\[0\]\.id/);
    // The one HOST=0.0.0.0 is the container's listening address, not a network rule.
    expect(source.match(/0\.0\.0\.0/g)).toHaveLength(1);
    expect(env.find((i) => stringProperty(i, 'name') === 'HOST')).toContain("'0.0.0.0'");
    const [nsg] = ofType('Microsoft.Network/networkSecurityGroups');
    expect(nsg.body).toMatch(/sourceAddressPrefix:\s*appsSubnetPrefix[^}]*destinationPortRange:\s*'5432'/);
  });

  it('has the Slack channel its header announces, next to Teams, and probes /healthz and /readyz', () => {
    const channels = ofType('Microsoft.BotService/botServices/channels').map((c) => stringProperty(c.body, 'channelName'));
    expect(channels).toEqual(['MsTeamsChannel', 'SlackChannel']);
    expect(raw.split('\n').slice(0, 12).join('\n')).toMatch(/Slack channel/);
    const slack = ofType('Microsoft.BotService/botServices/channels').find((c) => c.symbol === 'slack')!;
    expect(slack.condition).toBe('slackEnabled');
    expect(slack.body).toMatch(/signingSecret:\s*slackSigningSecret/);
    const probes = arrayItems(app.body, 'probes');
    const probe = (type: string) => probes.find((p) => stringProperty(p, 'type') === type);
    expect(probe('Readiness')).toContain("path: '/readyz'");
    expect(probe('Liveness')).toContain("path: '/healthz'");
    // Container Apps rejects a revision whose probes leave its limits.
    for (const p of probes) {
      expect(Number(/failureThreshold:\s*(\d+)/.exec(p)?.[1] ?? 3)).toBeLessThanOrEqual(10);
      expect(Number(/initialDelaySeconds:\s*(\d+)/.exec(p)?.[1] ?? 0)).toBeLessThanOrEqual(60);
    }
  });
});
