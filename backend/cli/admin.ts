import { parseArgs } from "node:util";
import { z } from "zod";
import { ConfigError, loadConfig } from "../config";
import { migrateToLatest, openDatabase } from "../db/database";
import { openKeyRing } from "../keys/from-config";
import { personalDataCipher } from "../orgs/personal-data";
import { OrganizationRepository } from "../orgs/repository";

/**
 * Operator CLI. Uses the same configuration as the server (DATA_DIR, DATABASE_URL) and is safe to
 * run while the server is running (SQLite WAL with a busy timeout; PostgreSQL transactions).
 *
 *   npm run admin -- create-org --name NAME --admin-email EMAIL [--admin-name NAME]
 *
 * Success prints one line of JSON on stdout; errors go to stderr with a non-zero exit code.
 */
const USAGE = "Usage: npm run admin -- create-org --name NAME --admin-email EMAIL [--admin-name DISPLAY_NAME]";

const createOrgArgs = z.object({
  name: z.string().trim().min(1, "--name is required").max(200),
  "admin-email": z.email("--admin-email must be an email address"),
  "admin-name": z.string().trim().min(1).max(200).optional(),
});

class UsageError extends Error {}

async function createOrg(argv: string[]): Promise<Record<string, string>> {
  const { values } = parseArgs({
    args: argv,
    options: { name: { type: "string" }, "admin-email": { type: "string" }, "admin-name": { type: "string" } },
    strict: true,
  });
  const parsed = createOrgArgs.safeParse(values);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join("; "));
  const args = parsed.data;

  const config = loadConfig();
  const db = openDatabase(config);
  try {
    await migrateToLatest(db);
    const orgs = new OrganizationRepository(db, personalDataCipher(await openKeyRing(db, config)));
    if (await orgs.emailInUse(args["admin-email"])) {
      throw new UsageError(`a user with email ${args["admin-email"]} already exists`);
    }
    const org = await orgs.createOrganization(args.name);
    const admin = await orgs.createInvitedUser(org.id, {
      email: args["admin-email"],
      displayName: args["admin-name"] ?? args["admin-email"].split("@")[0] ?? args["admin-email"],
      roles: ["admin", "writer"],
      locationIds: [],
    });
    return { orgId: org.id, adminUserId: admin.id };
  } finally {
    await db.destroy();
  }
}

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === "create-org") {
    process.stdout.write(JSON.stringify(await createOrg(rest)) + "\n");
    return;
  }
  throw new UsageError(command ? `unknown command '${command}'` : "no command given");
}

run(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || (error instanceof TypeError && "code" in error)) {
    console.error(`admin: ${error.message}\n${USAGE}`);
    process.exit(64); // EX_USAGE
  }
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78);
  }
  console.error("admin: failed:", error instanceof Error ? error.message : error);
  process.exit(1);
});
