// govai-coach on Azure:
// - a Container App (two replicas or more) in a virtual network, running the image;
// - PostgreSQL Flexible Server with private access in a delegated subnet of that network: no
//   public endpoint and no firewall rule, so only the app's network reaches it;
// - Key Vault holding every secret; the app reads them as Key Vault references through its
//   user-assigned identity (no secret value is stored in the Container App);
// - an Azure Bot (SingleTenant) with the Teams channel, and the Slack channel when Slack app
//   credentials are given (slackClientId, slackClientSecret, slackSigningSecret).
// Deploy:  az deployment group create -g <rg> -f deployment/azure/main.bicep \
//            -p botAppId=<app id> image=<registry>/govai-coach:<tag> orgName="<organisation>" \
//               orgUrl=https://<organisation site> botAppPassword=<secret> postgresPassword=<secret> \
//               metricsToken=<16+ characters>
@description('Base name for every resource: lowercase letters, digits and hyphens.')
@minLength(3)
@maxLength(20)
param name string = 'govai-coach'
param location string = resourceGroup().location
@description('Microsoft Entra app registration (client) id of the bot.')
param botAppId string
@description('Tenant of the app registration (SingleTenant bot).')
param tenantId string = subscription().tenantId
@secure()
param botAppPassword string
@description('Container image, e.g. myregistry.azurecr.io/govai-coach:1.0.0')
param image string
@secure()
param postgresPassword string
@description('The organisation that issues certificates of completion (ORG_NAME).')
param orgName string
@description('Its web site, printed on certificates (ORG_URL).')
param orgUrl string
@description('Public https address of the bot for certificate links (PUBLIC_BASE_URL); empty: the Container App\'s own address.')
param publicBaseUrl string = ''
@secure()
@description('Bearer token Prometheus sends to GET /metrics (METRICS_TOKEN, at least 16 characters).')
@minLength(16)
param metricsToken string
@description('Slack app client id for the Azure Bot Slack channel; empty leaves the channel out.')
param slackClientId string = ''
@secure()
param slackClientSecret string = ''
@secure()
param slackSigningSecret string = ''
param replicas int = 2
@description('Address space of the virtual network; the app and database subnets are carved from it.')
param vnetAddressPrefix string = '10.40.0.0/16'

var slackEnabled = !empty(slackClientId)
var appsSubnetPrefix = cidrSubnet(vnetAddressPrefix, 23, 0)
var postgresSubnetPrefix = cidrSubnet(vnetAddressPrefix, 24, 2)
// Container Apps names the app <name>.<environment default domain>.
var baseUrl = empty(publicBaseUrl) ? 'https://${name}.${env.properties.defaultDomain}' : publicBaseUrl
// Built-in role "Key Vault Secrets User": read secret values, nothing else.
var keyVaultSecretsUserRole = '4633458b-17de-408a-b874-0445c86b69e6'

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${name}-logs'
  location: location
  properties: { sku: { name: 'PerGB2018' }, retentionInDays: 30 }
}

// The database subnet admits PostgreSQL traffic from the app subnet only.
resource postgresNsg 'Microsoft.Network/networkSecurityGroups@2023-11-01' = {
  name: '${name}-pg-nsg'
  location: location
  properties: {
    securityRules: [
      {
        name: 'allow-postgres-from-apps'
        properties: { priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: appsSubnetPrefix, sourcePortRange: '*', destinationAddressPrefix: postgresSubnetPrefix, destinationPortRange: '5432' }
      }
      {
        // The server's own subnet (high-availability standby and maintenance traffic).
        name: 'allow-within-postgres-subnet'
        properties: { priority: 110, direction: 'Inbound', access: 'Allow', protocol: '*', sourceAddressPrefix: postgresSubnetPrefix, sourcePortRange: '*', destinationAddressPrefix: postgresSubnetPrefix, destinationPortRange: '*' }
      }
      {
        // Other subnets and peered networks; Azure's load-balancer probes keep their default rule.
        name: 'deny-other-networks'
        properties: { priority: 4000, direction: 'Inbound', access: 'Deny', protocol: '*', sourceAddressPrefix: 'VirtualNetwork', sourcePortRange: '*', destinationAddressPrefix: '*', destinationPortRange: '*' }
      }
    ]
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: '${name}-vnet'
  location: location
  properties: {
    addressSpace: { addressPrefixes: [vnetAddressPrefix] }
    subnets: [
      {
        name: 'apps'
        properties: {
          addressPrefix: appsSubnetPrefix
          delegations: [{ name: 'container-apps', properties: { serviceName: 'Microsoft.App/environments' } }]
        }
      }
      {
        name: 'postgres'
        properties: {
          addressPrefix: postgresSubnetPrefix
          networkSecurityGroup: { id: postgresNsg.id }
          delegations: [{ name: 'postgres', properties: { serviceName: 'Microsoft.DBforPostgreSQL/flexibleServers' } }]
        }
      }
    ]
  }
}

resource postgresDns 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: '${name}.private.postgres.database.azure.com'
  location: 'global'
}

resource postgresDnsLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = {
  parent: postgresDns
  name: '${name}-vnet'
  location: 'global'
  properties: { registrationEnabled: false, virtualNetwork: { id: vnet.id } }
}

resource db 'Microsoft.DBforPostgreSQL/flexibleServers@2023-12-01-preview' = {
  name: '${name}-pg'
  location: location
  sku: { name: 'Standard_B1ms', tier: 'Burstable' }
  properties: {
    version: '16'
    administratorLogin: 'govai'
    administratorLoginPassword: postgresPassword
    storage: { storageSizeGB: 32 }
    backup: { backupRetentionDays: 7, geoRedundantBackup: 'Disabled' }
    // Private access: the server gets an address in the delegated subnet and no public endpoint.
    network: {
      delegatedSubnetResourceId: vnet.properties.subnets[1].id
      privateDnsZoneArmResourceId: postgresDns.id
      publicNetworkAccess: 'Disabled'
    }
  }
  dependsOn: [postgresDnsLink]
}

resource dbName 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2023-12-01-preview' = {
  parent: db
  name: 'govai'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${name}-id'
  location: location
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('${replace(name, '-', '')}${uniqueString(resourceGroup().id)}', 24)
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
  }
}

resource vaultReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, identity.id, keyVaultSecretsUserRole)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRole)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource botPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'bot-password'
  properties: { value: botAppPassword }
}

resource databaseUrlSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'database-url'
  properties: { value: 'postgres://govai:${uriComponent(postgresPassword)}@${db.properties.fullyQualifiedDomainName}:5432/govai?sslmode=require' }
}

resource metricsTokenSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'metrics-token'
  properties: { value: metricsToken }
}

resource env 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${name}-env'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: { customerId: logs.properties.customerId, sharedKey: logs.listKeys().primarySharedKey }
    }
    vnetConfiguration: { infrastructureSubnetId: vnet.properties.subnets[0].id, internal: false }
    workloadProfiles: [{ name: 'Consumption', workloadProfileType: 'Consumption' }]
  }
}

resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: name
  location: location
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${identity.id}': {} } }
  properties: {
    managedEnvironmentId: env.id
    workloadProfileName: 'Consumption'
    configuration: {
      ingress: { external: true, targetPort: 3978, transport: 'http', allowInsecure: false }
      // Key Vault references (versionless URIs, so a rotated secret is picked up on restart).
      secrets: [
        { name: 'bot-password', keyVaultUrl: botPasswordSecret.properties.secretUri, identity: identity.id }
        { name: 'database-url', keyVaultUrl: databaseUrlSecret.properties.secretUri, identity: identity.id }
        { name: 'metrics-token', keyVaultUrl: metricsTokenSecret.properties.secretUri, identity: identity.id }
      ]
    }
    template: {
      scale: { minReplicas: replicas, maxReplicas: replicas * 2 }
      containers: [
        {
          name: 'bot'
          image: image
          resources: { cpu: json('0.5'), memory: '1Gi' }
          env: [
            { name: 'NODE_ENV', value: 'production' }
            { name: 'HOST', value: '0.0.0.0' }
            { name: 'PORT', value: '3978' }
            { name: 'STORAGE', value: 'postgres' }
            { name: 'DATABASE_URL', secretRef: 'database-url' }
            { name: 'MICROSOFT_APP_ID', value: botAppId }
            { name: 'MICROSOFT_APP_TYPE', value: 'SingleTenant' }
            { name: 'MICROSOFT_APP_TENANT_ID', value: tenantId }
            { name: 'MICROSOFT_APP_PASSWORD', secretRef: 'bot-password' }
            { name: 'ORG_NAME', value: orgName }
            { name: 'ORG_URL', value: orgUrl }
            { name: 'PUBLIC_BASE_URL', value: baseUrl }
            { name: 'METRICS_TOKEN', secretRef: 'metrics-token' }
            { name: 'WEBCHAT_ENABLED', value: 'false' }
          ]
          // Container Apps allows failureThreshold 1-10 and initialDelaySeconds 0-60: up to 3 minutes to load the index.
          probes: [
            { type: 'Startup', httpGet: { path: '/healthz', port: 3978 }, initialDelaySeconds: 60, periodSeconds: 12, failureThreshold: 10 }
            { type: 'Readiness', httpGet: { path: '/readyz', port: 3978 }, periodSeconds: 10 }
            { type: 'Liveness', httpGet: { path: '/healthz', port: 3978 }, periodSeconds: 30 }
          ]
        }
      ]
    }
  }
  // The identity must be allowed to read the secrets before the first revision starts.
  dependsOn: [vaultReader, dbName]
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: name
  location: 'global'
  kind: 'azurebot'
  sku: { name: 'S1' }
  properties: {
    displayName: 'govai-coach'
    endpoint: 'https://${app.properties.configuration.ingress.fqdn}/api/messages'
    msaAppId: botAppId
    msaAppTenantId: tenantId
    msaAppType: 'SingleTenant'
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: { channelName: 'MsTeamsChannel', properties: { isEnabled: true } }
}

// Slack through Azure Bot Service: the bot answers with Block Kit, never Adaptive Cards (which
// this channel would turn into public images). Native Slack needs no channel here.
resource slack 'Microsoft.BotService/botServices/channels@2022-09-15' = if (slackEnabled) {
  parent: bot
  name: 'SlackChannel'
  location: 'global'
  properties: {
    channelName: 'SlackChannel'
    properties: {
      clientId: slackClientId
      clientSecret: slackClientSecret
      signingSecret: slackSigningSecret
      landingPageUrl: baseUrl
      registerBeforeOAuthFlow: false
      isEnabled: true
    }
  }
}

output messagingEndpoint string = bot.properties.endpoint
output publicBaseUrl string = baseUrl
output keyVaultName string = vault.name
output slackChannel bool = slackEnabled
