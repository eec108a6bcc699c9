/** Domain types of the certs module. Repositories return these, never table rows. */
export interface CertFields {
  title: string;
  poNumbers: string[];
  heatNumbers: string[];
  certNumbers: string[];
  product: string | null;
  standard: string | null;
  metadata: Record<string, string>;
}

export interface CertRecord extends CertFields {
  id: string;
  ownerOrgId: string;
  ownerOrgName: string;
  ownerLocationIds: string[];
  salesLocationId: string | null;
  copiedFrom: string | null;
  createdBy: string;
  publicLinkEnabled: boolean;
  publicLinkGeneration: number;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

/** How a user received a cert, as far as access is concerned. */
export interface CertReceipt {
  /** Shared to the user's account, or accepted by them through the public link. */
  toUser: boolean;
  /** Locations the cert was shared to (the policy intersects them with the user's memberships). */
  toLocationIds: string[];
}

export type ShareTarget =
  | { kind: "user"; userId: string; displayName: string; orgName: string }
  | { kind: "location"; locationId: string; name: string; orgName: string };

export interface ShareRecord {
  id: string;
  certId: string;
  target: ShareTarget;
  via: "user" | "location" | "public-link";
  createdAt: string;
}

/** Builds the lower-cased text listCerts searches in. */
export function searchTextOf(fields: CertFields): string {
  return [
    fields.title,
    ...fields.poNumbers,
    ...fields.heatNumbers,
    ...fields.certNumbers,
    fields.product ?? "",
    fields.standard ?? "",
    ...Object.entries(fields.metadata).flat(),
  ]
    .join("\n")
    .toLowerCase();
}
