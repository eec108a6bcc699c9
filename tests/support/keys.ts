import type { Database } from "../../backend/db/database";
import { KeyRing } from "../../backend/keys/key-ring";
import { personalDataCipher, type PersonalDataCipher } from "../../backend/orgs/personal-data";

/** The real key ring over a test database (KEK under the test's data dir), for repositories. */
export async function testCipher(db: Database, dataDir: string): Promise<PersonalDataCipher> {
  return personalDataCipher(await KeyRing.open({ db, dataDir }));
}
