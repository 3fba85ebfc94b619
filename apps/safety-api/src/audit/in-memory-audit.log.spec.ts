import type { NewAuditEvent } from './audit.types';
import { InMemoryAuditLog } from './in-memory-audit.log';

const event = (runId: string, n: number): NewAuditEvent => ({
  type: 'budget.spend',
  run_id: runId,
  tenant: 'default',
  key_id: 'ci-agent',
  at: new Date(0).toISOString(),
  request_id: `req-${n}`,
  outcome: 'ok',
  data: { n },
});
const numbers = (events: Array<{ data: Record<string, unknown> }>) => events.map((e) => e.data.n);

describe('InMemoryAuditLog', () => {
  let clock: number;
  const log = () => new InMemoryAuditLog(3, 60, () => clock);
  beforeEach(() => (clock = 1_000_000));

  it('lists the most recent events of a run, oldest first, with increasing ids', async () => {
    const audit = log();
    for (let n = 1; n <= 2; n++) await audit.append(event('run-a', n));
    await audit.append(event('run-b', 9));
    const events = await audit.list('default', 'run-a', 10);
    expect(numbers(events)).toEqual([1, 2]);
    expect(events.map((e) => e.id)).toEqual([`${clock}-0`, `${clock}-1`]);
    expect(numbers(await audit.list('default', 'run-a', 1))).toEqual([2]);
    expect(await audit.list('default', 'run-c', 10)).toEqual([]);
  });

  it('keeps at most maxEventsPerRun events per run, dropping the oldest', async () => {
    const audit = log();
    for (let n = 1; n <= 5; n++) await audit.append(event('run-a', n));
    expect(numbers(await audit.list('default', 'run-a', 10))).toEqual([3, 4, 5]);
  });

  it('forgets a run ttlSeconds after its last event, and a new event restarts the clock', async () => {
    const audit = log();
    await audit.append(event('quiet', 1));
    await audit.append(event('busy', 1));
    clock += 50_000;
    await audit.append(event('busy', 2));
    clock += 10_000;
    expect(await audit.list('default', 'quiet', 10)).toEqual([]);
    expect(numbers(await audit.list('default', 'busy', 10))).toEqual([1, 2]);
    clock += 50_000;
    expect(await audit.list('default', 'busy', 10)).toEqual([]);
  });

  it('does not keep expired runs in memory', async () => {
    const audit = log();
    for (let n = 0; n < 1000; n++) {
      await audit.append(event(`run-${n}`, n));
      clock += 1000;
    }
    // Only the runs written in the last 60 s are still held (white-box: memory is the point).
    expect((audit as unknown as { runs: Map<string, unknown> }).runs.size).toBe(60);
  });
});

describe('InMemoryAuditLog tenancy', () => {
  it('keeps the same run id of two tenants apart', async () => {
    const audit = new InMemoryAuditLog(10, 60);
    await audit.append({ ...event('run-a', 1), tenant: 'acme' });
    await audit.append({ ...event('run-a', 2), tenant: 'globex' });
    expect(numbers(await audit.list('acme', 'run-a', 10))).toEqual([1]);
    expect(numbers(await audit.list('globex', 'run-a', 10))).toEqual([2]);
    expect(await audit.list('default', 'run-a', 10)).toEqual([]);
  });
});
