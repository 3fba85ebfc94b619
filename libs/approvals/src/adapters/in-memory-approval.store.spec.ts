import { approvalStoreContract } from '../testing/approval-store.contract';
import { InMemoryApprovalStore } from './in-memory-approval.store';

approvalStoreContract('InMemoryApprovalStore', () => new InMemoryApprovalStore(86_400_000));
