import request from 'supertest';
import { createTestApp } from './support/create-test-app';

describe('/metrics', () => {
  it('exposes Prometheus text with request latency by route template and status', async () => {
    const app = await createTestApp({ SAFETY_API_KEYS: 'metrics-key-1' });
    await request(app.getHttpServer()).get('/api/v1/safety/audit/metrics-run-1').set('x-api-key', 'metrics-key-1');
    await request(app.getHttpServer()).get('/api/v1/safety/audit/metrics-run-2');
    const res = await request(app.getHttpServer()).get('/metrics');
    await app.close();
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(
      /safety_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/safety\/audit\/:run_id",status="200"\} 1/,
    );
    expect(res.text).toMatch(
      /safety_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/safety\/audit\/:run_id",status="401"\} 1/,
    );
    expect(res.text).not.toContain('metrics-run-1');
    for (const name of [
      'safety_policy_decisions_total',
      'safety_budget_operations_total',
      'safety_redaction_findings_total',
      'safety_sandbox_executions_total',
      'safety_redis_errors_total',
    ]) {
      expect(res.text).toContain(`# TYPE ${name}`);
    }
  });
});
