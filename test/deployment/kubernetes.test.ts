import fs from 'node:fs';
import path from 'node:path';
import { configSchema } from '../../src/config/config-schema';
import { loadConfig } from '../../src/config/config';
import { REPO_ROOT } from '../support/app-harness';
import { parseYamlFile, renderKustomization, schemaProblems, type Manifest } from './kubernetes-manifests';

const DIR = path.join(REPO_ROOT, 'deployment', 'kubernetes');
/** Settings that hold credentials: they belong in the Secret, never in the ConfigMap. */
const SECRET_SETTING = /SECRET|PASSWORD|_KEY$|TOKEN$|^DATABASE_URL$/;

describe('Kubernetes base (deployment/kubernetes)', () => {
  const manifests = renderKustomization(DIR);
  const one = (kind: string, name?: string): Manifest => {
    const found = manifests.filter((m) => m.kind === kind && (!name || m.metadata.name === name));
    expect(found).toHaveLength(1);
    return found[0];
  };
  const deployment = one('Deployment');
  const job = one('Job');
  const configMap = one('ConfigMap');
  const secret = one('Secret');
  const podLabels: Record<string, string> = deployment.spec.template.metadata.labels;
  const bot = deployment.spec.template.spec.containers[0];
  const selects = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

  it('lists every manifest file in kustomization.yaml, and every manifest is valid against the Kubernetes API schema of its kind', () => {
    const files = fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml');
    const [kustomization] = parseYamlFile(path.join(DIR, 'kustomization.yaml')) as [{ resources: string[] }];
    expect([...kustomization.resources].sort()).toEqual(files.sort());
    expect(manifests.map((m) => m.kind).sort()).toEqual(
      [
        'ConfigMap',
        'Deployment',
        'HorizontalPodAutoscaler',
        'Ingress',
        'Job',
        'Namespace',
        'NetworkPolicy',
        'PersistentVolumeClaim',
        'PodDisruptionBudget',
        'Secret',
        'Service',
        'ServiceAccount',
      ].sort(),
    );
    expect(manifests.flatMap(schemaProblems)).toEqual([]);
    expect(manifests.filter((m) => m.kind !== 'Namespace').every((m) => m.metadata.namespace === 'govai-coach')).toBe(true);
  });

  it('the schema check catches a broken manifest (so a pass above means something)', () => {
    const broken = structuredClone(deployment);
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    delete broken.spec.selector;
    const problems = schemaProblems(broken);
    expect(problems.join('\n')).toMatch(/containerPort: must be integer/);
    expect(problems.join('\n')).toMatch(/selector/);
  });

  it('wires every setting of the configuration schema through the ConfigMap or the Secret, credentials only in the Secret', () => {
    const settings = Object.keys(configSchema.shape);
    const inConfigMap = Object.keys(configMap.data);
    const inSecret = Object.keys(secret.stringData ?? secret.data ?? {});
    expect(settings.filter((s) => !inConfigMap.includes(s) && !inSecret.includes(s))).toEqual([]);
    expect([...inConfigMap, ...inSecret].filter((s) => !settings.includes(s))).toEqual([]);
    expect(inConfigMap.filter((s) => SECRET_SETTING.test(s))).toEqual([]);
    expect(inSecret.filter((s) => !SECRET_SETTING.test(s))).toEqual([]);
    for (const container of [bot, job.spec.template.spec.containers[0]]) {
      expect(container.envFrom).toEqual([{ configMapRef: { name: configMap.metadata.name } }, { secretRef: { name: secret.metadata.name } }]);
    }
  });

  it('is a configuration the bot accepts once the database URL is filled in, with the public URL on the Ingress host', () => {
    const env = { ...configMap.data, ...secret.stringData, DATABASE_URL: 'postgres://govai:pw@db.internal:5432/govai?sslmode=require' };
    const config = loadConfig(env, REPO_ROOT);
    expect(config).toMatchObject({ HOST: '0.0.0.0', STORAGE: 'postgres', NODE_ENV: 'production', WEBCHAT_ENABLED: false });
    const ingress = one('Ingress');
    expect(new URL(config.PUBLIC_BASE_URL!).host).toBe(ingress.spec.rules[0].host);
    expect(ingress.spec.tls[0].hosts).toContain(ingress.spec.rules[0].host);
    // Shutdown finishes turns in progress before Kubernetes kills the pod.
    expect(config.SHUTDOWN_GRACE_MS).toBeLessThan(deployment.spec.template.spec.terminationGracePeriodSeconds * 1000);
    expect(bot.ports[0].containerPort).toBe(config.PORT);
    expect(config.INDEX_DIR).toBe(bot.volumeMounts.find((v: { name: string }) => v.name === 'index').mountPath);
    expect(config.DATA_DIR).toBe(bot.volumeMounts.find((v: { name: string }) => v.name === 'data').mountPath);
  });

  it('probes liveness on /healthz and readiness on /readyz, with resources and a locked-down security context', () => {
    expect(bot.livenessProbe.httpGet).toMatchObject({ path: '/healthz', port: 'http' });
    expect(bot.readinessProbe.httpGet).toMatchObject({ path: '/readyz', port: 'http' });
    expect(bot.startupProbe.httpGet.path).toBe('/healthz');
    for (const pod of [deployment.spec.template.spec, job.spec.template.spec]) {
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const c of pod.containers) {
        expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
        expect(c.securityContext.capabilities.add).toBeUndefined();
        expect(c.resources.requests).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
        expect(c.resources.limits.memory).toEqual(expect.any(String));
        // A read-only root filesystem: everything the bot writes goes to a mounted volume.
        expect(c.volumeMounts.map((v: { mountPath: string }) => v.mountPath).sort()).toEqual(['/data', '/index', '/tmp']);
      }
    }
  });

  it('connects Service, Ingress, PodDisruptionBudget, autoscaler and NetworkPolicy to the bot pods', () => {
    const service = one('Service');
    expect(selects(service.spec.selector, podLabels)).toBe(true);
    expect(service.spec.ports[0].targetPort).toBe(bot.ports[0].name);
    const backend = one('Ingress').spec.rules[0].http.paths[0].backend.service;
    expect(backend.name).toBe(service.metadata.name);
    expect(service.spec.ports.map((p: { name: string }) => p.name)).toContain(backend.port.name);

    const pdb = one('PodDisruptionBudget');
    expect(selects(pdb.spec.selector.matchLabels, podLabels)).toBe(true);
    const hpa = one('HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
    // Two replicas at least, so a disruption that keeps minAvailable still leaves the bot answering.
    expect(hpa.spec.minReplicas).toBeGreaterThan(pdb.spec.minAvailable);
    expect(deployment.spec.replicas).toBeUndefined();
    expect(selects(deployment.spec.selector.matchLabels, podLabels)).toBe(true);

    const policy = one('NetworkPolicy');
    expect(selects(policy.spec.podSelector.matchLabels, podLabels)).toBe(true);
    expect(selects(policy.spec.podSelector.matchLabels, job.spec.template.metadata.labels)).toBe(true);
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.ingress.flatMap((r: { ports: { port: unknown }[] }) => r.ports.map((p) => p.port))).toEqual(['http']);
    expect(policy.spec.ingress.every((r: { from?: unknown[] }) => (r.from ?? []).length > 0)).toBe(true);
    const egressPorts = policy.spec.egress.flatMap((r: { ports: { port: number }[] }) => r.ports.map((p) => p.port));
    expect([...new Set(egressPorts)].sort()).toEqual([443, 53, 5432].sort());
  });

  it("builds the index once in a Job, with the image and the command of the bot's own CLI, into the volume the bot reads", () => {
    const builder = job.spec.template.spec.containers[0];
    expect(builder.image).toBe(bot.image);
    expect(builder.command).toEqual(['node', '--disable-warning=DEP0111', 'dist/src/cli/build-index.js']);
    expect(fs.existsSync(path.join(REPO_ROOT, 'src', 'cli', 'build-index.ts'))).toBe(true);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    const claimOf = (pod: { volumes: { name: string; persistentVolumeClaim?: { claimName: string } }[] }) => pod.volumes.find((v) => v.name === 'index')?.persistentVolumeClaim?.claimName;
    expect(claimOf(job.spec.template.spec)).toBe(one('PersistentVolumeClaim').metadata.name);
    expect(claimOf(deployment.spec.template.spec)).toBe(one('PersistentVolumeClaim').metadata.name);
    expect(one('PersistentVolumeClaim').spec.accessModes).toEqual(['ReadWriteMany']);
  });
});
