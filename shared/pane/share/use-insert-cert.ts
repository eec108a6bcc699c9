import { useMutation } from "@tanstack/react-query";
import { certHtml } from "../../actions/cert-html";
import type { Cert } from "../../protocol/certs";
import { useCurrentItem, useHost, useStrings } from "../contexts";

/** Where "insert" puts a cert for the current item: into the draft, into a new reply, or nowhere. */
export type InsertMode = "compose" | "reply" | null;

/**
 * Puts a cert (title, numbers, public link when it is on) into the email: at the cursor of a draft,
 * or into a reply opened on a read email. The HTML is built from escaped values only.
 */
export function useInsertCert() {
  const host = useHost();
  const item = useCurrentItem();
  const strings = useStrings();
  let mode: InsertMode = null;
  if (item?.kind === "compose" && host.capabilities.insertIntoCompose) mode = "compose";
  if (item?.kind === "read" && host.capabilities.openReply) mode = "reply";
  const mutation = useMutation({
    mutationFn: async (cert: Cert) => {
      const link = cert.publicLink?.enabled ? cert.publicLink.url : null;
      const html = certHtml(cert, link, strings.certHtml);
      if (mode === "compose") await host.insertIntoCompose({ html });
      else await host.openReply({ html });
    },
  });
  return { mode, mutation };
}
