import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { Environment } from '../apps/safety-api/src/config/environment';

/**
 * No Docker engine runs in CI, so the shipping files are checked by reading
 * them: probes and ports must match what the app actually serves.
 */
const root = join(__dirname, '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const LIVE = '/health/live';
const READY = '/health/ready';
const appPort = new Environment().PORT;

interface Probe {
  httpGet: { path: string; port: string | number };
}

describe('deploy/k8s', () => {
  const docs = ['deployment.yaml', 'service.yaml', 'configmap.yaml'].flatMap(
    (file) => loadAll(read(`deploy/k8s/${file}`)) as Array<Record<string, any>>, // eslint-disable-line @typescript-eslint/no-explicit-any
  );
  const deployment = docs.find((doc) => doc.kind === 'Deployment')!;
  const configMap = docs.find((doc) => doc.kind === 'ConfigMap')!;
  const container = deployment.spec.template.spec.containers[0];
  const namedPort = (name: string | number) =>
    typeof name === 'number'
      ? name
      : container.ports.find((port: { name: string }) => port.name === name).containerPort;

  it('probes the health endpoints on the app port', () => {
    const probes: Record<string, Probe> = {
      startup: container.startupProbe,
      liveness: container.livenessProbe,
      readiness: container.readinessProbe,
    };
    expect(probes.startup.httpGet.path).toBe(LIVE);
    expect(probes.liveness.httpGet.path).toBe(LIVE);
    expect(probes.readiness.httpGet.path).toBe(READY);
    for (const probe of Object.values(probes)) expect(namedPort(probe.httpGet.port)).toBe(appPort);
    expect(Number(configMap.data.PORT)).toBe(appPort);
  });

  it('reads the keys file from a Secret mounted as a directory (updated in place), and metrics on their own port', () => {
    const keysFile: string = configMap.data.SAFETY_API_KEYS_FILE;
    const mount = container.volumeMounts.find((m: { mountPath: string }) => keysFile.startsWith(`${m.mountPath}/`));
    expect(mount).toBeDefined();
    expect(mount.subPath).toBeUndefined();
    const volume = deployment.spec.template.spec.volumes.find((v: { name: string }) => v.name === mount.name);
    expect(volume.secret.secretName).toBeDefined();
    expect(namedPort('metrics')).toBe(Number(configMap.data.METRICS_PORT));
    expect(Number(configMap.data.METRICS_PORT)).not.toBe(appPort);
  });

  it('gives the app longer than its own shutdown grace period', () => {
    const graceSeconds = Number(configMap.data.SHUTDOWN_GRACE_MS) / 1000;
    const preStop = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(graceSeconds + preStop);
  });

  it('routes the Service to the container port', () => {
    const service = (loadAll(read('deploy/k8s/service.yaml')) as Array<Record<string, any>>)[0]; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(namedPort(service.spec.ports[0].targetPort)).toBe(appPort);
  });
});

describe('docker-compose.yml', () => {
  const compose = loadAll(read('docker-compose.yml'))[0] as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

  it('runs the API on the app port against a durable Redis, both health-checked', () => {
    expect(compose.services.api.ports).toContain(`${appPort}:${appPort}`);
    expect(compose.services.api.healthcheck.test.join(' ')).toContain(READY);
    expect(compose.services.api.environment.REDIS_URL).toBe('redis://redis:6379');
    expect(compose.services.redis.image).toBe('redis:7-alpine');
    expect(compose.services.redis.command).toEqual(
      expect.arrayContaining(['--appendonly', 'yes', '--appendfsync', 'everysec']),
    );
    expect(compose.services.redis.healthcheck).toBeDefined();
    expect(compose.volumes).toHaveProperty('redis-data');
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  it('is multi-stage, runs as non-root under an init, and starts the built app', () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/ENTRYPOINT \["\/usr\/bin\/tini", "--"\]/);
    expect(dockerfile).toContain('RUN npm run build');
    expect(dockerfile).toContain(
      'CMD ["node", "--max-semi-space-size=32", "--liftoff-only", "dist/apps/safety-api/main.js"]',
    );
    expect(dockerfile).toContain(`EXPOSE ${appPort}`);
  });
});

describe('package.json scripts', () => {
  const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;

  // `nest build` empties dist/ (deleteOutDir) and does not write the stable entry point; only `npm run build` does.
  it("start (README's run command) builds with `npm run build`, which writes the entry point it runs", () => {
    expect(scripts.build).toMatch(/&& node scripts\/write-entry-point\.js$/);
    expect(scripts.start).toBe(
      'npm run build && node --max-semi-space-size=32 --liftoff-only dist/apps/safety-api/main.js',
    );
    expect(scripts['start:prod']).toBe('node --max-semi-space-size=32 --liftoff-only dist/apps/safety-api/main.js');
  });
});
