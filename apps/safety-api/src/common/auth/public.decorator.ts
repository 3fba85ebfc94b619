import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'safety:isPublic';

/** Marks a controller or route as reachable without an API key (health probes). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
