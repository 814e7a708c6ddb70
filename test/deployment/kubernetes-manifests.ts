import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Namespace, ServiceAccount, ConfigMap, Secret, PersistentVolumeClaim, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';

/** The Kubernetes API schema of each kind the base uses, from kubernetes-models (the JSON schemas of the API, compiled). */
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: any;
}

/** The kustomization fields this renderer applies; any other transformer would make the test render something else than kustomize. */
const UNDERSTOOD = new Set(['apiVersion', 'kind', 'namespace', 'resources']);

/** `kustomize build` for a base that only lists resources and sets a namespace. */
export function renderKustomization(dir: string): Manifest[] {
  const [kustomization] = parseYamlFile(path.join(dir, 'kustomization.yaml')) as [{ namespace?: string; resources: string[] } & Record<string, unknown>];
  const unknown = Object.keys(kustomization).filter((k) => !UNDERSTOOD.has(k));
  if (unknown.length) throw new Error(`kustomization.yaml uses ${unknown.join(', ')}, which this renderer does not apply`);
  return kustomization.resources.flatMap((file) =>
    (parseYamlFile(path.join(dir, file)) as Manifest[]).map((m) =>
      m.kind === 'Namespace' || !kustomization.namespace ? m : { ...m, metadata: { ...m.metadata, namespace: kustomization.namespace } },
    ),
  );
}

export function parseYamlFile(file: string): unknown[] {
  const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'));
  for (const doc of docs) if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message}`);
  return docs.map((d) => d.toJS()).filter((d) => d !== null);
}

/** Problems of one manifest against the Kubernetes API schema of its kind (empty when valid). */
export function schemaProblems(manifest: Manifest): string[] {
  const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
  if (!Model) return [`no schema for ${manifest.apiVersion} ${manifest.kind}`];
  try {
    new Model(manifest).validate();
    return [];
  } catch (err) {
    const errors = (err as { errors?: { instancePath: string; message?: string }[] }).errors ?? [];
    return errors.length ? errors.map((e) => `${manifest.kind}/${manifest.metadata.name}${e.instancePath}: ${e.message}`) : [String(err)];
  }
}
