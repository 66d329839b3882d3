import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadAppConfig } from '../../src/app.module';
import { AppConfig } from '../../src/core/config/app.config';
import type { Config } from '../../src/core/config/config';
import { OpsConfig } from '../../src/core/ops/ops.config';
import { HEALTH_DB_TIMEOUT_MS } from '../../src/core/ops/database.health';
import { LIVE_PATH, MetricsServer } from '../../src/core/ops/metrics.server';
import { KNOWN_VARIABLES, requiredVariables } from '../support/app-config';
import { HttpClient } from '../support/http';
import { readPackageJson } from '../support/package-files';
import { startTestApp, TestApp } from '../support/test-app';

// The fields of the Kubernetes objects these tests read. The YAML is not checked against them:
// the assertions below are the check, field by field.
type Labels = Record<string, string>;
interface Probe {
  httpGet: { path: string; port: string | number };
  timeoutSeconds: number;
  periodSeconds: number;
  failureThreshold: number;
}
const PROBES = ['startupProbe', 'livenessProbe', 'readinessProbe'] as const;
type Container = Record<(typeof PROBES)[number], Probe> & {
  image: string;
  command?: string[];
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  env?: Array<{ name: string; value?: string | number | boolean }>;
  ports: Array<{ name: string; containerPort: number }>;
  lifecycle?: { preStop?: unknown };
  securityContext: Record<string, unknown>;
  resources: {
    requests: { cpu?: string; memory?: string };
    limits: { memory?: string };
  };
};
interface PodSpec {
  containers: Container[];
  securityContext: { runAsNonRoot: boolean; runAsUser: number };
  terminationGracePeriodSeconds: number;
  restartPolicy?: string;
}
interface K8sObject {
  kind: string;
  metadata?: { name?: string };
  __file: string;
}
interface Deployment extends K8sObject {
  spec: { template: { metadata: { labels: Labels }; spec: PodSpec } };
}
interface Job extends K8sObject {
  spec: { template: { spec: PodSpec } };
}
interface ConfigMap extends K8sObject {
  data: Record<string, string>;
}
interface Secret extends K8sObject {
  stringData?: Record<string, string>;
  data?: Record<string, string>;
}
interface Service extends K8sObject {
  spec: { selector: Labels; ports: Array<{ name: string; targetPort: string | number }> };
}
interface Autoscaler extends K8sObject {
  spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number };
}
interface DisruptionBudget extends K8sObject {
  spec: { selector: { matchLabels: Labels }; maxUnavailable?: number; minAvailable: number };
}
interface Kustomization extends K8sObject {
  resources: string[];
}

const ROOT = join(__dirname, '..', '..');
const DIR = join(ROOT, 'deploy', 'kubernetes');
const pkg = readPackageJson();

const objects: K8sObject[] = readdirSync(DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .flatMap((f) =>
    parseAllDocuments(readFileSync(join(DIR, f), 'utf8')).map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${f}: ${doc.errors[0].message}`);
      return { ...(doc.toJS() as Omit<K8sObject, '__file'>), __file: f };
    }),
  );

function one<T extends K8sObject>(kind: string, name?: string): T {
  const found = objects.filter((o) => o.kind === kind && (!name || o.metadata?.name === name));
  if (found.length !== 1)
    throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
  return found[0] as T;
}

const deployment = one<Deployment>('Deployment');
const pod = deployment.spec.template.spec;
const container = pod.containers[0];
const job = one<Job>('Job');
const jobPod = job.spec.template.spec;

/** The environment a container gets: its envFrom ConfigMap and Secret, then its own env. */
function environmentOf(c: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of c.envFrom ?? []) {
    if (source.configMapRef)
      Object.assign(env, one<ConfigMap>('ConfigMap', source.configMapRef.name).data);
    if (source.secretRef) {
      const secret = one<Secret>('Secret', source.secretRef.name);
      Object.assign(env, secret.stringData ?? {});
      for (const [k, v] of Object.entries(secret.data ?? {}))
        env[k] = Buffer.from(String(v), 'base64').toString('utf8');
    }
  }
  for (const e of c.env ?? []) env[e.name] = String(e.value ?? '');
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
}

function portNamed(c: Container, port: string | number): number {
  if (typeof port === 'number') return port;
  const found = c.ports.find((p) => p.name === port);
  if (!found) throw new Error(`no container port named ${port}`);
  return found.containerPort;
}

describe('Kubernetes manifests and Dockerfile', () => {
  const appEnvRaw = environmentOf(container);
  let appEnv: Config;

  it('give the app every variable it requires, each one it knows, all valid', () => {
    const required = requiredVariables();
    expect(required).toContain('DATABASE_URL');
    for (const name of required) {
      const alternatives = name.split(' or ');
      expect(alternatives.some((n) => appEnvRaw[n] !== undefined && appEnvRaw[n] !== '')).toBe(
        true,
      );
    }
    for (const name of Object.keys(appEnvRaw))
      expect([name, KNOWN_VARIABLES.has(name)]).toEqual([name, true]);
    appEnv = loadAppConfig(appEnvRaw);
    expect(appEnv.get(AppConfig).NODE_ENV).toBe('production');
    // The migration Job gets the same configuration, and a direct URL for the lock.
    expect(environmentOf(jobPod.containers[0])).toEqual(appEnvRaw);
    expect(appEnvRaw.DATABASE_MIGRATIONS_URL).toBeDefined();
  });

  it('point the probes at the routes the app serves: liveness on the metrics port, the rest on PORT', () => {
    const port = Number(appEnvRaw.PORT);
    const ops = loadAppConfig(appEnvRaw).get(OpsConfig);
    // Liveness asks the metrics listener, which a flood of API connections cannot fill
    // (HTTP_MAX_CONNECTIONS): a busy pod is not restarted for it.
    expect(portNamed(container, container.livenessProbe.httpGet.port)).toBe(ops.metricsPort);
    expect(portNamed(container, container.startupProbe.httpGet.port)).toBe(port);
    expect(portNamed(container, container.readinessProbe.httpGet.port)).toBe(port);
    expect(container.livenessProbe.httpGet.path).toBe(LIVE_PATH);
    expect(container.startupProbe.httpGet.path).toBe('/health/live');
    expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(portNamed(container, 'metrics')).toBe(Number(appEnvRaw.METRICS_PORT));
    // The readiness probe waits longer than the app's own database check.
    expect(container.readinessProbe.timeoutSeconds * 1000).toBeGreaterThan(HEALTH_DB_TIMEOUT_MS);
  });

  it('let the app drain and finish before the kubelet kills it', () => {
    const ops = loadAppConfig(appEnvRaw).get(OpsConfig);
    const needMs = ops.drainDelayMs + ops.SHUTDOWN_TIMEOUT_MS;
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(needMs);
    // Readiness notices the 503 within the drain delay.
    const r = container.readinessProbe;
    expect(r.periodSeconds * r.failureThreshold * 1000).toBeLessThanOrEqual(ops.drainDelayMs);
    // No preStop sleep or command override stands in the way of the image's signal handling.
    expect(container.command).toBeUndefined();
    expect(container.lifecycle?.preStop).toBeUndefined();
  });

  it('run as non-root on a read-only root filesystem, with resources set', () => {
    for (const spec of [pod, jobPod]) {
      expect(spec.securityContext.runAsNonRoot).toBe(true);
      expect(spec.securityContext.runAsUser).toBeGreaterThan(0);
      const c = spec.containers[0];
      expect(c.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      expect(c.resources.requests.cpu).toBeDefined();
      expect(c.resources.requests.memory).toBeDefined();
      expect(c.resources.limits.memory).toBeDefined();
    }
  });

  it('run the production migration command in the Job', () => {
    expect(jobPod.containers[0].command?.join(' ')).toBe(pkg.scripts['migration:run:prod']);
    expect(jobPod.restartPolicy).toBe('Never');
    expect(jobPod.containers[0].image).toBe(container.image);
    expect(existsSync(join(ROOT, 'src', 'migrate.ts'))).toBe(true);
  });

  it('wire the Service, HPA and PDB to the Deployment', () => {
    const labels = deployment.spec.template.metadata.labels;
    const matches = (selector: Record<string, string>) =>
      Object.entries(selector).every(([k, v]) => labels[k] === v);
    const service = one<Service>('Service');
    expect(matches(service.spec.selector)).toBe(true);
    for (const p of service.spec.ports)
      expect(portNamed(container, p.targetPort)).toBeGreaterThan(0);
    expect(service.spec.ports.find((p) => p.name === 'http')?.targetPort).toBe('http');
    const hpa = one<Autoscaler>('HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toMatchObject({
      kind: 'Deployment',
      name: deployment.metadata?.name,
    });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    const pdb = one<DisruptionBudget>('PodDisruptionBudget');
    expect(matches(pdb.spec.selector.matchLabels)).toBe(true);
    expect(pdb.spec.maxUnavailable ?? hpa.spec.minReplicas - pdb.spec.minAvailable).toBeLessThan(
      hpa.spec.minReplicas,
    );
    const kustomization = one<Kustomization>('Kustomization');
    for (const file of kustomization.resources) expect(existsSync(join(DIR, file))).toBe(true);
    expect(kustomization.resources).not.toContain('secret.example.yaml');
  });

  it('ship a NetworkPolicy example: the metrics port from the monitoring namespace only', () => {
    const policy = one<K8sObject & { spec: Record<string, unknown> }>('NetworkPolicy');
    const ports = container.ports as Array<{ name: string }>;
    const spec = policy.spec as {
      podSelector: { matchLabels: Record<string, string> };
      ingress: Array<{ from?: unknown[]; ports: Array<{ port: string }> }>;
    };
    expect(spec.podSelector.matchLabels).toEqual(deployment.spec.template.metadata.labels);
    const rule = (port: string) => spec.ingress.filter((r) => r.ports.some((p) => p.port === port));
    expect(ports.map((p) => p.name)).toEqual(expect.arrayContaining(['http', 'metrics']));
    expect(rule('http')).toEqual([{ ports: [{ port: 'http' }] }]);
    expect(rule('metrics')).toHaveLength(1);
    expect(rule('metrics')[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
    ]);
    expect(one<Kustomization>('Kustomization').resources).not.toContain(policy.__file);
  });

  it('build a production image: multi-stage, production dependencies, non-root, tini as PID 1', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const stages = dockerfile.split(/^FROM /m).slice(1);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const image = /^ARG NODE_IMAGE=node:(\d+)-/m.exec(dockerfile);
    expect(Number(image?.[1])).toBeGreaterThanOrEqual(24);
    expect(Number(image?.[1]) % 2).toBe(0); // even majors are the LTS lines
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    const final = stages.at(-1) as string;
    expect(final).toMatch(/^USER node$/m);
    expect(final).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(final)?.[1] ?? '[]') as string[];
    expect(cmd.join(' ')).toBe(pkg.scripts['start:prod']);
    const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(dockerignore).toEqual(expect.arrayContaining(['node_modules', '.env', '.git']));
  });

  describe('against the real app', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp({ env: { METRICS_PORT: '0', HOST: '127.0.0.1' } });
    });

    afterAll(async () => {
      await app?.close();
    });

    it('every probe answers 200 when healthy, on the port it asks', async () => {
      const metrics = new HttpClient(`http://127.0.0.1:${app.get(MetricsServer).port}`);
      for (const probe of PROBES) {
        const { path, port } = container[probe].httpGet;
        // The metrics listener is not the API: openapi.json does not describe it.
        const res = port === 'metrics' ? await metrics.raw('GET', path) : await app.http.get(path);
        expect([probe, res.status]).toEqual([probe, 200]);
      }
    });
  });
});
