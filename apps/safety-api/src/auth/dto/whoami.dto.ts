import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../principal';

export class WhoamiDto {
  /** The principal id of the key (from the keys file), as audit events and logs show it. @example "ci-agent" */
  key_id: string;
  /** The tenant the key belongs to. @example "acme" */
  tenant: string;
  @ApiProperty({ enum: ROLES, enumName: 'Role' })
  role: Role;
  /** The tenant this request acts in: `tenant`, or the X-Safety-Tenant header of an admin. @example "acme" */
  acting_tenant: string;
}
