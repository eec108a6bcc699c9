import type { OrganizationRepository } from "../orgs/repository";
import { DEMO_LOCATIONS, DEMO_ORG, DEMO_USERS } from "./demo-data";

/**
 * Seeds the demo organization, its locations and invited demo users. Idempotent piece by piece:
 * each is created only when missing, so a restart after an interrupted seed completes it and a
 * second run changes nothing. Never called in production (the caller checks the configuration).
 */
export async function seedDemo(orgs: OrganizationRepository): Promise<{ created: number }> {
  let created = 0;
  if (!(await orgs.getOrganization(DEMO_ORG.id))) {
    await orgs.createOrganization(DEMO_ORG.name, DEMO_ORG.id);
    created++;
  }
  const existing = new Set((await orgs.listLocations(DEMO_ORG.id)).map((l) => l.id));
  for (const location of DEMO_LOCATIONS.filter((l) => !existing.has(l.id))) {
    await orgs.createLocation(DEMO_ORG.id, location, location.id);
    created++;
  }
  for (const user of DEMO_USERS) {
    if (await orgs.emailInUse(user.email)) continue;
    await orgs.createInvitedUser(DEMO_ORG.id, user, user.id);
    created++;
  }
  return { created };
}
