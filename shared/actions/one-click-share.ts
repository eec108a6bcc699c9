import { isApiError, type ApiClient } from "../api/client";
import type { Host, ReadMailItem } from "../host/host";
import { certMatchesReference, findNumberReferences, type NumberReference } from "../mail/references";
import type { Cert } from "../protocol/certs";
import { catalogs, defaultLocale, type Strings } from "../pane/strings";
import { certHtml } from "./cert-html";

/**
 * One-click share, host-independent: from the current read email, find the one cert it refers to,
 * share it with the sender (or, when the sender is not on the network, use the cert's public link),
 * and open a reply carrying the cert. Anything less clear-cut answers "needs-pane" so the host can
 * open the pane instead. Adapters call it from their toolbar/ribbon buttons.
 */

export type NeedsPaneReason = keyof Strings["oneClick"]["needsPane"];

export type OneClickShareResult =
  | {
      readonly status: "shared";
      readonly certId: string;
      /** How the sender got it: a network share to their user, or the public link in the reply. */
      readonly via: "user" | "public-link";
      /** One sentence for `host.notify`. */
      readonly summary: string;
    }
  | { readonly status: "needs-pane"; readonly reason: NeedsPaneReason; readonly summary: string };

export interface OneClickShareOptions {
  readonly host: Host;
  readonly api: ApiClient;
  /** Defaults to English. */
  readonly strings?: Strings;
}

/** Certs the user can share that carry one of the references exactly, without duplicates. */
export async function findShareableCerts(api: ApiClient, references: readonly NumberReference[]): Promise<Cert[]> {
  const pages = await Promise.all(references.map((reference) => api.listCerts({ q: reference.value, scope: "owned", limit: 100 })));
  const byId = new Map<string, Cert>();
  pages.forEach((page, index) => {
    const reference = references[index];
    if (!reference) return;
    for (const cert of page.items) if (cert.access.canShare && certMatchesReference(cert, reference)) byId.set(cert.id, cert);
  });
  return [...byId.values()];
}

export async function oneClickShare({ host, api, strings = catalogs[defaultLocale] }: OneClickShareOptions): Promise<OneClickShareResult> {
  const needsPane = (reason: NeedsPaneReason): OneClickShareResult => ({ status: "needs-pane", reason, summary: strings.oneClick.needsPane[reason] });
  const item = host.getCurrentItem();
  if (item?.kind !== "read") return needsPane("no-read-item");

  const body = await host.getBodyText(item.key);
  const references = findNumberReferences(`${item.subject}\n${body}`);
  if (references.length === 0) return needsPane("no-references");
  const certs = await findShareableCerts(api, references);
  const [cert, ...others] = certs;
  if (!cert) return needsPane("no-match");
  if (others.length > 0) return needsPane("ambiguous");

  const sender = await lookupSender(api, item);
  if (sender) {
    await api.shareCert(cert.id, { userId: sender.userId, ...(item.conversationId ? { conversationRef: item.conversationId } : {}) });
    const link = cert.publicLink?.enabled ? cert.publicLink.url : null;
    await host.openReply({ html: certHtml(cert, link, strings.certHtml) });
    return { status: "shared", certId: cert.id, via: "user", summary: strings.oneClick.sharedWithUser(cert.title, sender.displayName) };
  }
  const link = cert.publicLink?.enabled && cert.publicLink.url ? cert.publicLink.url : (await api.setPublicLink(cert.id, true)).url;
  await host.openReply({ html: certHtml(cert, link, strings.certHtml) });
  return { status: "shared", certId: cert.id, via: "public-link", summary: strings.oneClick.sharedByLink(cert.title) };
}

/** The sender as a network user, or null when the network has nobody with that address (404). */
async function lookupSender(api: ApiClient, item: ReadMailItem) {
  try {
    return await api.lookupUserByEmail(item.from.address);
  } catch (error) {
    if (isApiError(error) && error.status === 404) return null;
    throw error;
  }
}
