/** Roles in increasing power: each may do everything the ones before it may. */
export const ROLES = ['agent', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Tenant names: DNS-label-like, so they are safe in Redis keys, metric labels and URLs. */
export const TENANT_PATTERN = /^[a-z0-9-]{1,63}$/;
export const DEFAULT_TENANT = 'default';

/** Who is calling: the key's principal, and the tenant the call acts in. */
export interface Principal {
  /** The principal id from the keys file: shown in audit events and logs, never the key. */
  keyId: string;
  role: Role;
  /** The tenant the key belongs to. */
  homeTenant: string;
  /** The tenant this request acts in: the home tenant, or (admin only) the `X-Safety-Tenant` header. */
  tenant: string;
}

export function roleAtLeast(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}

/** Development without keys: one implicit admin of the default tenant. */
export const OPEN_PRINCIPAL: Principal = {
  keyId: 'anonymous',
  role: 'admin',
  homeTenant: DEFAULT_TENANT,
  tenant: DEFAULT_TENANT,
};
