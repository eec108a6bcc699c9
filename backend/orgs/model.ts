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

export interface UserRecord {
  id: string;
  orgId: string;
  displayName: string;
  roles: Role[];
  locationIds: string[];
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
