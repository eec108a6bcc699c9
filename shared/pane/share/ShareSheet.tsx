import { Divider, MessageBar, MessageBarBody } from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import type { Cert } from "../../protocol/certs";
import { QueryState } from "../common/QueryState";
import { useApi, useCurrentItem, useStrings } from "../contexts";
import { queryKeys } from "../query-keys";
import { ViewFrame } from "../shell/ViewFrame";
import { InsertSection } from "./InsertSection";
import { NetworkShare } from "./NetworkShare";
import { PublicLinkSection } from "./PublicLinkSection";
import { SenderShare } from "./SenderShare";

/** Everything to share one cert: with the sender, with anyone on the network, by public link / QR, into the email. */
export function ShareSheet({ certId }: { readonly certId: string }) {
  const strings = useStrings();
  const api = useApi();
  const cert = useQuery({ queryKey: queryKeys.cert(certId), queryFn: ({ signal }) => api.getCert(certId, { signal }) });
  return (
    <ViewFrame title={cert.data ? strings.share.heading(cert.data.title) : strings.detail.loading} testId="share-sheet">
      <QueryState query={cert} loadingLabel={strings.detail.loading}>
        {() => (cert.data ? <ShareSections cert={cert.data} /> : null)}
      </QueryState>
    </ViewFrame>
  );
}

function ShareSections({ cert }: { readonly cert: Cert }) {
  const strings = useStrings();
  const item = useCurrentItem();
  if (!cert.access.canShare) {
    return (
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>{strings.share.cannotShare}</MessageBarBody>
      </MessageBar>
    );
  }
  return (
    <>
      {item?.kind === "read" ? (
        <SenderShare cert={cert} person={item.from} heading={strings.share.senderHeading} conversationId={item.conversationId} />
      ) : null}
      {item?.kind === "compose" && item.to[0] ? (
        <SenderShare cert={cert} person={item.to[0]} heading={strings.share.recipientHeading} conversationId={item.conversationId} />
      ) : null}
      <NetworkShare cert={cert} conversationId={item?.conversationId ?? null} />
      <Divider />
      <PublicLinkSection cert={cert} />
      <Divider />
      <InsertSection cert={cert} />
    </>
  );
}
