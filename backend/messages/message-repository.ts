import { randomUUID } from "node:crypto";
import { isoString } from "../certs/cert-repository";
import type { Database } from "../db/database";
import type { Selectable } from "kysely";
import type { MessagesTable } from "../db/schema";
import type { MessageOpenRecord, MessagePart, MessageRecord, NewMessage } from "./model";

/** All SQL of encrypted messages: policy rows, part sizes, recipients (blind index + ciphertext), opens. */
export class MessageRepository {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(message: NewMessage): Promise<MessageRecord> {
    const createdAt = this.now().toISOString();
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto("messages")
        .values({
          id: message.id,
          org_id: message.orgId,
          sender_id: message.senderId,
          part_count: message.partCount,
          passphrase_kdf: message.passphraseKdf,
          sign_in_required: message.recipients.length > 0 ? 1 : 0,
          max_opens: message.maxOpens,
          open_count: 0,
          created_at: createdAt,
          expires_at: message.expiresAt,
        })
        .execute();
      if (message.recipients.length > 0) {
        await tx
          .insertInto("message_recipients")
          .values(message.recipients.map((r) => ({ message_id: message.id, email_index: r.emailIndex, email_ciphertext: r.emailCiphertext })))
          .execute();
      }
    });
    return (await this.find(message.id)) ?? failMissing();
  }

  async find(id: string): Promise<MessageRecord | undefined> {
    const row = await this.db.selectFrom("messages").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async listBySender(senderId: string, limit: number): Promise<MessageRecord[]> {
    // Replies are managed by the original's sender too, but they are listed under their original.
    const rows = await this.db.selectFrom("messages").selectAll().where("sender_id", "=", senderId).where("in_reply_to", "is", null).orderBy("created_at", "desc").orderBy("id").limit(limit).execute();
    return rows.map(toRecord);
  }

  async parts(messageId: string): Promise<MessagePart[]> {
    const rows = await this.db.selectFrom("message_parts").select(["part_index", "size"]).where("message_id", "=", messageId).orderBy("part_index").execute();
    return rows.map((r) => ({ index: r.part_index, size: r.size }));
  }

  /** false when the part was already recorded (a concurrent upload of the same part won). */
  async addPart(messageId: string, part: MessagePart): Promise<boolean> {
    const result = await this.db
      .insertInto("message_parts")
      .values({ message_id: messageId, part_index: part.index, size: part.size })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async removePart(messageId: string, index: number): Promise<void> {
    await this.db.deleteFrom("message_parts").where("message_id", "=", messageId).where("part_index", "=", index).execute();
  }

  async recipients(messageId: string): Promise<{ emailIndex: string; emailCiphertext: string }[]> {
    const rows = await this.db.selectFrom("message_recipients").select(["email_index", "email_ciphertext"]).where("message_id", "=", messageId).orderBy("email_index").execute();
    return rows.map((r) => ({ emailIndex: r.email_index, emailCiphertext: r.email_ciphertext }));
  }

  async opens(messageId: string): Promise<MessageOpenRecord[]> {
    const rows = await this.db.selectFrom("message_opens").select(["opened_at", "recipient_index"]).where("message_id", "=", messageId).orderBy("opened_at").orderBy("id").execute();
    return rows.map((r) => ({ openedAt: isoString(r.opened_at), recipientIndex: r.recipient_index }));
  }

  /** Marks the upload complete; false when it was not uploading any more (completed, revoked). */
  async complete(id: string): Promise<boolean> {
    const result = await this.db.updateTable("messages").set({ completed_at: this.now().toISOString() }).where("id", "=", id).where("completed_at", "is", null).where("revoked_at", "is", null).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async revoke(id: string): Promise<void> {
    await this.db.updateTable("messages").set({ revoked_at: this.now().toISOString() }).where("id", "=", id).where("revoked_at", "is", null).execute();
  }

  /**
   * Counts one open atomically: the update only matches while the message is complete, not revoked,
   * not expired and below its open limit, so concurrent opens can never exceed max_opens.
   * Returns the open's id (the reply capability is bound to it), or null when nothing was counted.
   */
  async recordOpen(id: string, identity: { issuer: string; subject: string; recipientIndex: string } | null): Promise<string | null> {
    const now = this.now().toISOString();
    return this.db.transaction().execute(async (tx) => {
      const result = await tx
        .updateTable("messages")
        .set((eb) => ({ open_count: eb("open_count", "+", 1), last_opened_at: now }))
        .where("id", "=", id)
        .where("completed_at", "is not", null)
        .where("revoked_at", "is", null)
        .where("ciphertext_deleted_at", "is", null)
        .where("expires_at", ">", now)
        .where((eb) => eb.or([eb("max_opens", "is", null), eb("open_count", "<", eb.ref("max_opens"))]))
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return null;
      const openId = randomUUID();
      await tx
        .insertInto("message_opens")
        .values({ id: openId, message_id: id, opened_at: now, issuer: identity?.issuer ?? null, subject: identity?.subject ?? null, recipient_index: identity?.recipientIndex ?? null })
        .execute();
      return openId;
    });
  }

  /**
   * Messages whose ciphertext must go: revoked; expired; opened-out for longer than `openGraceMs`
   * (readers hold download tickets that long); uploads never completed after `uploadGraceMs`.
   */
  async findSweepable(openGraceMs: number, uploadGraceMs: number, limit: number): Promise<{ id: string; orgId: string; partCount: number }[]> {
    const now = this.now();
    const iso = now.toISOString();
    const openedBefore = new Date(now.getTime() - openGraceMs).toISOString();
    const createdBefore = new Date(now.getTime() - uploadGraceMs).toISOString();
    const rows = await this.db
      .selectFrom("messages")
      .select(["id", "org_id", "part_count"])
      .where("ciphertext_deleted_at", "is", null)
      .where((eb) =>
        eb.or([
          eb("revoked_at", "is not", null),
          eb("expires_at", "<=", iso),
          eb.and([eb("max_opens", "is not", null), eb("open_count", ">=", eb.ref("max_opens")), eb("last_opened_at", "<=", openedBefore)]),
          eb.and([eb("completed_at", "is", null), eb("created_at", "<=", createdBefore)]),
        ]),
      )
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.id, orgId: r.org_id, partCount: r.part_count }));
  }

  async markCiphertextDeleted(id: string): Promise<void> {
    await this.db.updateTable("messages").set({ ciphertext_deleted_at: this.now().toISOString() }).where("id", "=", id).where("ciphertext_deleted_at", "is", null).execute();
  }
}

function failMissing(): never {
  throw new Error("message vanished right after it was created");
}

export function toRecord(row: Selectable<MessagesTable>): MessageRecord {
  return {
    id: row.id,
    orgId: row.org_id,
    senderId: row.sender_id,
    partCount: row.part_count,
    passphraseKdf: row.passphrase_kdf,
    signInRequired: row.sign_in_required === 1,
    maxOpens: row.max_opens,
    openCount: row.open_count,
    createdAt: isoString(row.created_at),
    expiresAt: isoString(row.expires_at),
    completedAt: optionalIso(row.completed_at),
    revokedAt: optionalIso(row.revoked_at),
    lastOpenedAt: optionalIso(row.last_opened_at),
    ciphertextDeletedAt: optionalIso(row.ciphertext_deleted_at),
    inReplyTo: row.in_reply_to,
    replyOpenId: row.reply_open_id,
    replyCount: row.reply_count,
  };
}

/** PostgreSQL hands timestamptz back as Date, SQLite as the stored text: one ISO form for both. */
function optionalIso(value: string | Date | null): string | null {
  return value === null ? null : isoString(value);
}
