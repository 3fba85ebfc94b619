import type { ActionTypeValue } from './client.types';
import { actionTypeValues } from './generated/schema';

/**
 * What an agent may ask to do, as named constants (`ActionType.EXECUTE_CODE`).
 * The values are the API's `ActionType` enum: `satisfies` refuses a value the
 * contract does not have, and `ACTION_TYPES` (generated) lists what it does.
 */
export const ActionType = {
  EXECUTE_CODE: 'execute_code',
  DEPLOY: 'deploy',
  CREATE_BILLING: 'create_billing',
  DELETE_FILES: 'delete_files',
  NETWORK_ACCESS: 'network_access',
} as const satisfies Record<string, ActionTypeValue>;

export type ActionType = ActionTypeValue;

/** Every action type the API accepts, in the document's order (generated from openapi.json). */
export const ACTION_TYPES: readonly ActionType[] = actionTypeValues;
