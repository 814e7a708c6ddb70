// govai-coach on Azure: a Container App running the image, an Azure Bot (SingleTenant)
// pointing at it with the Teams and Slack channels, and PostgreSQL for several replicas.
// Deploy:  az deployment group create -g <rg> -f deployment/azure/main.bicep \
//            -p botAppId=<app id> tenantId=<tenant id> image=<registry>/govai-coach:<tag> \
//               botAppPassword=<secret> postgresPassword=<secret> orgName="<your organisation>"
@description('Base name for every resource.')
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
param orgName string
param replicas int = 2

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${name}-logs'
  location: location
  properties: { sku: { name: 'PerGB2018' }, retentionInDays: 30 }
}

resource env 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${name}-env'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: { customerId: logs.properties.customerId, sharedKey: logs.listKeys().primarySharedKey }
    }
  }
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
  }
}

resource dbName 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2023-12-01-preview' = {
  parent: db
  name: 'govai'
}

resource allowAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2023-12-01-preview' = {
  parent: db
  name: 'AllowAzureServices'
  properties: { startIpAddress: '0.0.0.0', endIpAddress: '0.0.0.0' }
}

resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: name
  location: location
  properties: {
    managedEnvironmentId: env.id
    configuration: {
      ingress: { external: true, targetPort: 3978, transport: 'http' }
      secrets: [
        { name: 'bot-password', value: botAppPassword }
        { name: 'database-url', value: 'postgres://govai:${postgresPassword}@${db.properties.fullyQualifiedDomainName}:5432/govai?sslmode=require' }
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
            { name: 'HOST', value: '0.0.0.0' }
            { name: 'STORAGE', value: 'postgres' }
            { name: 'DATABASE_URL', secretRef: 'database-url' }
            { name: 'MICROSOFT_APP_ID', value: botAppId }
            { name: 'MICROSOFT_APP_TYPE', value: 'SingleTenant' }
            { name: 'MICROSOFT_APP_TENANT_ID', value: tenantId }
            { name: 'MICROSOFT_APP_PASSWORD', secretRef: 'bot-password' }
            { name: 'ORG_NAME', value: orgName }
            { name: 'WEBCHAT_ENABLED', value: 'false' }
          ]
          probes: [
            { type: 'Readiness', httpGet: { path: '/healthz', port: 3978 }, periodSeconds: 10 }
            { type: 'Liveness', httpGet: { path: '/healthz', port: 3978 }, periodSeconds: 30, initialDelaySeconds: 60 }
          ]
        }
      ]
    }
  }
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

output messagingEndpoint string = bot.properties.endpoint
output publicBaseUrl string = 'https://${app.properties.configuration.ingress.fqdn}'
