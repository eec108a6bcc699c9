import { Badge, Button } from "@fluentui/react-components";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { SentReplyDto } from "../protocol/messages";
import { useApi } from "../pane/contexts";
import { describeSendError } from "./PolicyFields";
import { sentMessagesKey } from "./send-message";
import { useSecureStrings } from "./strings";

/**
 * Secure replies to one sent message: how many, and each one's status and opens. The pane never
 * has a reply's key (only its link, which the replier emails, carries it), so it offers no
 * "open" here — only the facts and Revoke.
 */
export function SentReplies({ replies }: { replies: readonly SentReplyDto[] }) {
  const t = useSecureStrings().sent;
  if (replies.length === 0) return null;
  return (
    <section aria-label={t.replies(replies.length)} style={{ marginTop: 6, paddingLeft: 12, borderLeft: "2px solid #8886" }}>
      <strong>{t.replies(replies.length)}</strong>
      <ul style={{ listStyle: "none", padding: 0, margin: "4px 0", display: "grid", gap: 4 }}>
        {replies.map((r) => <ReplyRow key={r.id} reply={r} />)}
      </ul>
      <small>{t.replyHint}</small>
    </section>
  );
}

function ReplyRow({ reply }: { reply: SentReplyDto }) {
  const t = useSecureStrings().sent;
  const api = useApi();
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => api.revokeMessage(reply.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sentMessagesKey }),
  });
  const live = reply.status === "active";
  return (
    <li aria-label={`reply ${reply.id}`}>
      <Badge appearance="tint" color={live ? "success" : "informative"}>{t.status[reply.status]}</Badge>{" "}
      {t.replyFrom(reply.from, new Date(reply.createdAt).toLocaleString())} · {t.replyOpens(reply.openCount)}
      {live && (
        <Button size="small" appearance="subtle" disabled={revoke.isPending} onClick={() => { revoke.mutate(); }}>{t.revokeReply}</Button>
      )}
      {revoke.isError && <p role="alert">{describeSendError(revoke.error)}</p>}
    </li>
  );
}
