import type { AppConfig } from "../config";
import type { Database } from "../db/database";
import { KeyRing } from "./key-ring";

/** The key ring as the server and the operator CLI open it: KEK_FILE, or DATA_DIR/keys/kek.key. */
export function openKeyRing(db: Database, config: Pick<AppConfig, "dataDir" | "kekFile">): Promise<KeyRing> {
  return KeyRing.open({ db, dataDir: config.dataDir, ...(config.kekFile ? { kekFile: config.kekFile } : {}) });
}
