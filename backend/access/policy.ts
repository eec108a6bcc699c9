import type { UserRecord } from "../orgs/model";

/**
 * The access policy: every authorization decision of the backend is made here, so a rule lives in
 * exactly one place and routes never decide for themselves. Functions are pure: they take the
 * signed-in user and what the repositories loaded, and answer yes or no.
 *
 * Organization rules (DESIGN §2): an Admin manages the users and locations of their own
 * organization; nobody sees or changes another organization's users or locations. Callers turn a
 * "different organization" answer into 404, never 403, so ids of other tenants are not confirmed.
 */
export function isAdmin(user: UserRecord): boolean {
  return user.roles.includes("admin");
}

export function canAdministerOrganization(user: UserRecord, orgId: string): boolean {
  return isAdmin(user) && user.orgId === orgId;
}

export function canViewOrganizationDirectory(user: UserRecord, orgId: string): boolean {
  return user.orgId === orgId;
}
