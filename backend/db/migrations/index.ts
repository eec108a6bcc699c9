import type { Migration, MigrationProvider } from "kysely";
import * as m0001 from "./0001-organizations";
import * as m0002 from "./0002-network";
import * as m0003 from "./0003-messages";
import * as m0004 from "./0004-sync";
import * as m0005 from "./0005-mailbox-authorizations";
import * as m0006 from "./0006-message-replies";
import * as m0007 from "./0007-membership-changes";
import * as m0008 from "./0008-global-keys";
import * as m0009 from "./0009-used-stream-tickets";

/**
 * Migrations are listed in code rather than read from a folder at run time, so they are bundled
 * with the backend and their order is explicit. Append only; never edit a released migration.
 */
const migrations: Record<string, Migration> = {
  "0001-organizations": m0001,
  "0002-network": m0002,
  "0003-messages": m0003,
  "0004-sync": m0004,
  "0005-mailbox-authorizations": m0005,
  "0006-message-replies": m0006,
  "0007-membership-changes": m0007,
  "0008-global-keys": m0008,
  "0009-used-stream-tickets": m0009,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
