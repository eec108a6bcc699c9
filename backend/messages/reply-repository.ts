import type { Database } from "../db/database";
import { toRecord } from "./message-repository";
import type { MessageRecord, NewReply } from "./model";

/** Why a reply was not stored: the capability's or the message's replies are used up, or the original is gone. */
export type ReplyRefusal = "exhausted" | "gone";

class Refused extends Error {
  constructor(readonly reason: ReplyRefusal) {
    super(reason);
  }
}

/** All SQL of secure replies: the open a capability names, the atomic reply limits, and the sender's view. */
export class ReplyRepository {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The open a reply capability names, when it is an open of `messageId`. */
  async findOpen(messageId: string, openId: string): Promise<{ id: string; recipientIndex: string | null; replyCount: number } | undefined> {
    const row = await this.db.selectFrom("message_opens").select(["id", "recipient_index", "reply_count"]).where("id", "=", openId).where("message_id", "=", messageId).executeTakeFirst();
    return row ? { id: row.id, recipientIndex: row.recipient_index, replyCount: row.reply_count } : undefined;
  }

  /**
   * Stores a reply in one transaction: both counters are raised only while below their limits
   * (conditional updates, so racing replies cannot overshoot on either dialect) and only while the
   * original is still live and not itself a reply; then the reply and its one recipient are written.
   */
  async create(reply: NewReply, limits: { perCapability: number; perMessage: number }): Promise<{ ok: true; record: MessageRecord } | { ok: false; reason: ReplyRefusal }> {
    const now = this.now().toISOString();
    try {
      await this.db.transaction().execute(async (tx) => {
        const original = await tx
          .updateTable("messages")
          .set((eb) => ({ reply_count: eb("reply_count", "+", 1) }))
          .where("id", "=", reply.originalId)
          .where("in_reply_to", "is", null)
          .where("completed_at", "is not", null)
          .where("revoked_at", "is", null)
          .where("expires_at", ">", now)
          .where("reply_count", "<", limits.perMessage)
          .executeTakeFirst();
        if (Number(original.numUpdatedRows) !== 1) throw new Refused(await this.whyRefused(tx, reply.originalId, limits.perMessage, now));
        const capability = await tx
          .updateTable("message_opens")
          .set((eb) => ({ reply_count: eb("reply_count", "+", 1) }))
          .where("id", "=", reply.openId)
          .where("message_id", "=", reply.originalId)
          .where("reply_count", "<", limits.perCapability)
          .executeTakeFirst();
        if (Number(capability.numUpdatedRows) !== 1) throw new Refused("exhausted");
        await tx
          .insertInto("messages")
          .values({
            id: reply.id,
            org_id: reply.orgId,
            sender_id: reply.senderId,
            part_count: reply.partCount,
            passphrase_kdf: null,
            sign_in_required: 1,
            max_opens: reply.maxOpens,
            open_count: 0,
            created_at: now,
            expires_at: reply.expiresAt,
            in_reply_to: reply.originalId,
            reply_open_id: reply.openId,
          })
          .execute();
        await tx.insertInto("message_recipients").values({ message_id: reply.id, email_index: reply.recipient.emailIndex, email_ciphertext: reply.recipient.emailCiphertext }).execute();
      });
    } catch (error) {
      if (error instanceof Refused) return { ok: false, reason: error.reason };
      throw error;
    }
    const row = await this.db.selectFrom("messages").selectAll().where("id", "=", reply.id).executeTakeFirstOrThrow();
    return { ok: true, record: toRecord(row) };
  }

  /** Replies to these messages, newest first, with the recipient index of the open that allowed each. */
  async repliesTo(originalIds: readonly string[]): Promise<(MessageRecord & { fromIndex: string | null })[]> {
    if (originalIds.length === 0) return [];
    const rows = await this.db
      .selectFrom("messages")
      .leftJoin("message_opens", "message_opens.id", "messages.reply_open_id")
      .selectAll("messages")
      .select("message_opens.recipient_index as from_index")
      .where("messages.in_reply_to", "in", originalIds)
      .orderBy("messages.created_at", "desc")
      .orderBy("messages.id")
      .execute();
    return rows.map((row) => ({ ...toRecord(row), fromIndex: row.from_index }));
  }

  private async whyRefused(tx: Pick<Database, "selectFrom">, originalId: string, perMessage: number, now: string): Promise<ReplyRefusal> {
    const row = await tx.selectFrom("messages").select(["reply_count", "revoked_at", "expires_at", "in_reply_to"]).where("id", "=", originalId).executeTakeFirst();
    if (!row || row.revoked_at !== null || row.in_reply_to !== null || new Date(row.expires_at).toISOString() <= now) return "gone";
    return row.reply_count >= perMessage ? "exhausted" : "gone";
  }
}
