import type { Role } from '@vireo/api';

/**
 * What a role may change on the details page, as the server's routes allow it (apps/server/src/domains/routes.ts):
 * the definition (typed edits, the XML) needs admin, autostart needs operator. Everyone else sees it read-only.
 */
export interface EditPermissions {
  definition: boolean;
  autostart: boolean;
}

export function editPermissions(role: Role): EditPermissions {
  return { definition: role === 'admin', autostart: role === 'admin' || role === 'operator' };
}
