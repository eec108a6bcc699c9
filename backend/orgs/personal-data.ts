import type { KeyRing } from "../keys/key-ring";
import { normalizeEmail } from "./model";

/**
 * Personal data at rest: an email is stored encrypted under its organization's data key, bound to
 * its user (AAD), and found through a keyed hash of its normalized form (a blind index) — a global
 * key, because the exact-email lookup spans organizations.
 */
export interface PersonalDataCipher {
  encryptEmail(orgId: string, userId: string, email: string): Promise<string>;
  decryptEmail(orgId: string, userId: string, ciphertext: string): Promise<string>;
  emailIndex(email: string): string;
}

export const EMAIL_INDEX_PURPOSE = "email-index";

export function personalDataCipher(keys: KeyRing): PersonalDataCipher {
  return {
    encryptEmail: (orgId, userId, email) => keys.encryptField(orgId, `email:${userId}`, email.trim()),
    decryptEmail: (orgId, userId, ciphertext) => keys.decryptField(orgId, `email:${userId}`, ciphertext),
    emailIndex: (email) => keys.globalHmac(EMAIL_INDEX_PURPOSE, normalizeEmail(email)),
  };
}
