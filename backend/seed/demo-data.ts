import type { Role } from "../orgs/model";

/**
 * The demo organization seeded outside production, and the people on the local OpenID provider's
 * sign-in page. Ids are fixed so seeding is idempotent and tests can refer to them.
 */
export const DEMO_ORG = { id: "00000000-0000-4000-8000-000000000001", name: "Demo Metals" };

export const DEMO_LOCATIONS = [
  { id: "00000000-0000-4000-8000-000000000011", name: "Gothenburg Mill", city: "Gothenburg", country: "SE" },
  { id: "00000000-0000-4000-8000-000000000012", name: "Houston Sales", city: "Houston", country: "US" },
] as const;

export interface DemoUser {
  id: string;
  /** Subject at the local OpenID provider. */
  sub: string;
  displayName: string;
  email: string;
  roles: Role[];
  locationIds: string[];
}

export const DEMO_USERS: readonly DemoUser[] = [
  {
    id: "00000000-0000-4000-8000-000000000101",
    sub: "demo-admin",
    displayName: "Ada Admin",
    email: "ada.admin@demo-metals.example",
    roles: ["admin", "writer"],
    locationIds: [DEMO_LOCATIONS[0].id, DEMO_LOCATIONS[1].id],
  },
  {
    id: "00000000-0000-4000-8000-000000000102",
    sub: "demo-writer",
    displayName: "Walt Writer",
    email: "walt.writer@demo-metals.example",
    roles: ["writer"],
    locationIds: [DEMO_LOCATIONS[0].id],
  },
  {
    id: "00000000-0000-4000-8000-000000000103",
    sub: "demo-reader",
    displayName: "Rita Reader",
    email: "rita.reader@demo-metals.example",
    roles: [],
    locationIds: [DEMO_LOCATIONS[1].id],
  },
];
