/** Domain types of the organizations module. Repositories return these, never table rows. */
export type Role = "admin" | "writer";

export interface OrganizationRecord {
  id: string;
  name: string;
}

export interface LocationRecord {
  id: string;
  orgId: string;
  name: string;
  city: string | null;
  country: string | null;
}

/**
 * The signed-in user as every authorization decision sees them: who, which organization, which
 * roles and locations. No personal data: the request path never needs the email, so it is not
 * decrypted on every request.
 */
export interface Principal {
  id: string;
  orgId: string;
  displayName: string;
  roles: Role[];
  locationIds: string[];
}

export interface UserRecord extends Principal {
  /** "invited" until the first sign-in binds an identity to the user. */
  status: "invited" | "active";
  email: string;
}

export interface NewUser {
  email: string;
  displayName: string;
  roles: Role[];
  locationIds: string[];
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
