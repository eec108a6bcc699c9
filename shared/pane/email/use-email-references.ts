import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import type { MailItem } from "../../host/host";
import { findReferences, type EmailReferences } from "../../mail/references";
import { useApi, useHost } from "../contexts";
import { queryKeys } from "../query-keys";

/** The origins SmartCert public links of this deployment start with (the API's origin). */
export function usePublicLinkOrigins(): readonly string[] {
  const api = useApi();
  const config = useQuery({ queryKey: queryKeys.clientConfig, queryFn: ({ signal }) => api.getClientConfig({ signal }), staleTime: Infinity });
  return useMemo(() => {
    if (!config.data) return [];
    try {
      return [new URL(config.data.apiBase, window.location.href).origin];
    } catch {
      return [];
    }
  }, [config.data]);
}

/**
 * The PO/heat/cert numbers and SmartCert links of an email (subject + body). The query is the body
 * read from the host, for its loading and error states; `references` is null until it is read.
 */
export function useEmailReferences(item: MailItem) {
  const host = useHost();
  const origins = usePublicLinkOrigins();
  const text = useQuery({
    queryKey: queryKeys.emailText(item.key),
    // A host that cannot read bodies still gives the subject.
    queryFn: () => (host.capabilities.bodyText ? host.getBodyText(item.key) : Promise.resolve("")),
    // A draft changes as the user types; a received email does not.
    staleTime: item.kind === "compose" ? 0 : Infinity,
  });
  const references = useMemo<EmailReferences | null>(
    () => (text.data === undefined ? null : findReferences({ subject: item.subject, body: text.data }, { publicLinkOrigins: origins })),
    [text.data, item.subject, origins],
  );
  return { text, references };
}
