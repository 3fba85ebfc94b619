import { randomBytes } from 'node:crypto';
import type { Approval } from '../approvals.types';
import type { ApprovalStore } from '../ports/approval-store.port';

const HOUR = 3_600_000;

export function newApproval(overrides: Partial<Approval> = {}): Approval {
  const now = Date.now();
  return {
    approval_id: `apr_${randomBytes(16).toString('hex')}`,
    status: 'pending',
    tenant: 'acme',
    run_id: 'run-1',
    action: 'deploy',
    context: { environment: 'production' },
    action_digest: 'd'.repeat(64),
    requested_by: 'agent-1',
    justification: null,
    reason: 'production deploy',
    rule_ids: ['deploy.production'],
    required_approvals: 1,
    decisions: [],
    created_at: new Date(now).toISOString(),
    expires_at: new Date(now + HOUR).toISOString(),
    decided_at: null,
    consumed_at: null,
    receipt: null,
    ...overrides,
  };
}

const vote = (by: string, decision: 'approve' | 'reject' = 'approve') => ({
  by,
  decision,
  comment: null,
  at: new Date().toISOString(),
});

/** The behaviour every ApprovalStore must have; run against each implementation with its real backend. */
export function approvalStoreContract(name: string, makeStore: () => Promise<ApprovalStore> | ApprovalStore): void {
  describe(`ApprovalStore contract: ${name}`, () => {
    let store: ApprovalStore;
    beforeEach(async () => (store = await makeStore()));
    afterEach(() => store.close());

    const use = (a: Approval, overrides: Partial<{ tenant: string; digest: string; runId: string | null }> = {}) => ({
      tenant: a.tenant,
      digest: a.action_digest,
      runId: a.run_id,
      at: new Date().toISOString(),
      ...overrides,
    });

    it('stores, reads back and finds by dedup key', async () => {
      const approval = newApproval();
      await store.create(approval, `dedup-${approval.approval_id}`);
      expect(await store.get(approval.approval_id)).toEqual(approval);
      expect(await store.findByDedupKey(`dedup-${approval.approval_id}`)).toEqual(approval);
      expect(await store.get(`apr_${'0'.repeat(32)}`)).toBeUndefined();
    });

    it('approves after the required number of distinct approvers; one reject rejects', async () => {
      const two = newApproval({ required_approvals: 2 });
      await store.create(two, two.approval_id);
      expect(await store.decide(two.approval_id, vote('op-1'), 60_000)).toMatchObject({
        kind: 'recorded',
        approval: { status: 'pending' },
      });
      expect(await store.decide(two.approval_id, vote('op-1'), 60_000)).toEqual({ kind: 'already_decided' });
      const approved = await store.decide(two.approval_id, vote('op-2'), 60_000);
      expect(approved).toMatchObject({ kind: 'recorded', approval: { status: 'approved' } });
      const grant = (approved as { approval: Approval }).approval;
      expect(grant.decisions.map((d) => d.by)).toEqual(['op-1', 'op-2']);
      expect(Date.parse(grant.expires_at) - Date.parse(grant.decided_at!)).toBe(60_000);
      expect(await store.decide(two.approval_id, vote('op-3'), 60_000)).toEqual({
        kind: 'not_pending',
        status: 'approved',
      });

      const rejected = newApproval({ required_approvals: 2 });
      await store.create(rejected, rejected.approval_id);
      await store.decide(rejected.approval_id, vote('op-1'), 60_000);
      expect(await store.decide(rejected.approval_id, vote('op-2', 'reject'), 60_000)).toMatchObject({
        approval: { status: 'rejected' },
      });
    });

    it('lets exactly one of many concurrent uses redeem a grant', async () => {
      const approval = newApproval();
      await store.create(approval, approval.approval_id);
      await store.decide(approval.approval_id, vote('op-1'), 60_000);
      const outcomes = await Promise.all(
        Array.from({ length: 50 }, () => store.redeem(approval.approval_id, use(approval))),
      );
      expect(outcomes.filter((o) => o.kind === 'redeemed')).toHaveLength(1);
      expect(new Set(outcomes.filter((o) => o.kind === 'refused').map((o) => (o as { error: string }).error))).toEqual(
        new Set(['APPROVAL_CONSUMED']),
      );
      expect((await store.get(approval.approval_id))?.status).toBe('consumed');
    });

    it('refuses a use that does not match, is not approved, is another tenant or has lapsed', async () => {
      const approval = newApproval();
      await store.create(approval, approval.approval_id);
      expect(await store.redeem(approval.approval_id, use(approval))).toEqual({
        kind: 'refused',
        error: 'APPROVAL_NOT_APPROVED',
      });
      await store.decide(approval.approval_id, vote('op-1'), 60_000);
      expect(await store.redeem(approval.approval_id, use(approval, { digest: 'e'.repeat(64) }))).toEqual({
        kind: 'refused',
        error: 'APPROVAL_MISMATCH',
      });
      expect(await store.redeem(approval.approval_id, use(approval, { runId: 'run-2' }))).toEqual({
        kind: 'refused',
        error: 'APPROVAL_MISMATCH',
      });
      expect(await store.redeem(approval.approval_id, use(approval, { tenant: 'globex' }))).toEqual({
        kind: 'refused',
        error: 'APPROVAL_NOT_FOUND',
      });
      const lapsed = newApproval();
      await store.create(lapsed, lapsed.approval_id);
      await store.decide(lapsed.approval_id, vote('op-1'), 1);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(await store.redeem(lapsed.approval_id, use(lapsed))).toEqual({
        kind: 'refused',
        error: 'APPROVAL_EXPIRED',
      });
      expect(await store.dueForExpiry(Date.now(), 1000)).toContain(lapsed.approval_id);
      expect(await store.expire(lapsed.approval_id, Date.now())).toBe(true);
      expect(await store.expire(lapsed.approval_id, Date.now())).toBe(false);
      expect((await store.get(lapsed.approval_id))?.status).toBe('expired');
    });

    it('cancels only a pending approval, once', async () => {
      const approval = newApproval();
      await store.create(approval, approval.approval_id);
      expect(await store.cancel(approval.approval_id, new Date().toISOString())).toBe(true);
      expect(await store.cancel(approval.approval_id, new Date().toISOString())).toBe(false);
      expect((await store.get(approval.approval_id))?.status).toBe('cancelled');
    });

    it('lists a tenant newest first, filtered, in pages', async () => {
      const tenant = `t-${randomBytes(4).toString('hex')}`;
      const made: Approval[] = [];
      for (let i = 0; i < 5; i++) {
        const approval = newApproval({
          tenant,
          created_at: new Date(Date.now() + i).toISOString(),
          requested_by: i % 2 ? 'agent-odd' : 'agent-even',
        });
        made.push(approval);
        await store.create(approval, approval.approval_id);
      }
      await store.create(newApproval({ tenant: `${tenant}-other` }), 'other');
      const first = await store.list({ tenant }, 2);
      expect(first.approvals.map((a) => a.approval_id)).toEqual([made[4].approval_id, made[3].approval_id]);
      const second = await store.list({ tenant }, 10, first.nextCursor!);
      expect(second.approvals.map((a) => a.approval_id)).toEqual([2, 1, 0].map((i) => made[i].approval_id));
      expect(second.nextCursor).toBeNull();
      const odd = await store.list({ tenant, requestedBy: 'agent-odd' }, 10);
      expect(odd.approvals.map((a) => a.approval_id)).toEqual([made[3].approval_id, made[1].approval_id]);
    });

    it('tells a subscriber of every change', async () => {
      const approval = newApproval();
      const seen: string[] = [];
      const unsubscribe = store.onChange((id) => seen.push(id));
      await new Promise((resolve) => setTimeout(resolve, 50));
      await store.create(approval, approval.approval_id);
      await store.decide(approval.approval_id, vote('op-1'), 60_000);
      const deadline = Date.now() + 2000;
      while (seen.filter((id) => id === approval.approval_id).length < 2 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      unsubscribe();
      expect(seen.filter((id) => id === approval.approval_id).length).toBeGreaterThanOrEqual(2);
    });
  });
}
