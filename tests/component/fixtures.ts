import type { Me } from "../../shared/protocol/organizations";

/** getMe of the demo admin, as the backend answers it for the seeded demo organization. */
export const adaMe: Me = {
  user: {
    id: "00000000-0000-4000-8000-000000000101",
    displayName: "Ada Admin",
    orgId: "00000000-0000-4000-8000-000000000001",
    roles: ["admin", "writer"],
    locationIds: ["00000000-0000-4000-8000-000000000011"],
  },
  org: { id: "00000000-0000-4000-8000-000000000001", name: "Demo Metals" },
};
