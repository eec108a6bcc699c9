import { Badge, Button, Spinner } from "@fluentui/react-components";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { SentMessageDto } from "../protocol/messages";
import { useApi } from "../pane/contexts";
import { describeSendError } from "./PolicyFields";
import { sentMessagesKey } from "./send-message";
import { SentReplies } from "./SentReplies";
import { useSecureStrings } from "./strings";



/** "Sent securely": each message with status, opens (and by whom), expiry, its secure replies, and Revoke. */
export default function SentSecurelyView() {
  const t = useSecureStrings().sent;
  const api = useApi();
  const query = useQuery({ queryKey: sentMessagesKey, queryFn: ({ signal }) => api.listSentMessages({ signal }) });
  if (query.isPending) return <Spinner label={t.loading} />;
  if (query.isError) return <p role="alert">{t.failed} {describeSendError(query.error)}</p>;
  if (query.data.items.length === 0) return <p>{t.empty}</p>;
  return (
    <ul style={{ listStyle: "none", padding: 0, display: "grid", gap: 12 }}>
      {query.data.items.map((m) => <SentRow key={m.id} message={m} />)}
    </ul>
  );
}

function SentRow({ message }: { message: SentMessageDto }) {
  const t = useSecureStrings().sent;
  const api = useApi();
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => api.revokeMessage(message.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sentMessagesKey }),
  });
  const when = (iso: string) => new Date(iso).toLocaleString();
  const live = message.status === "active" || message.status === "uploading";
  return (
    <li aria-label={message.id}>
      <Badge appearance="tint" color={live ? "success" : "informative"}>{t.status[message.status]}</Badge>{" "}
      {t.opens(message.openCount, message.maxOpens)} · {t.expires(when(message.expiresAt))}
      {message.recipients.length > 0 && <div>{message.recipients.join(", ")}</div>}
      {message.opens.filter((o) => o.recipient).map((o) => <div key={o.openedAt}>{t.openedBy(o.recipient ?? "", when(o.openedAt))}</div>)}
      {live && (
        <Button size="small" disabled={revoke.isPending} onClick={() => { revoke.mutate(); }}>{t.revoke}</Button>
      )}
      {revoke.isError && <p role="alert">{describeSendError(revoke.error)}</p>}
      <SentReplies replies={message.replies ?? []} />
    </li>
  );
}
