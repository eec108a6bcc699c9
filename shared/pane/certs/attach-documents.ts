import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { ApiClient } from "../../api/client";
import type { Host } from "../../host/host";
import { useApi, useCurrentItem, useHost, useStrings } from "../contexts";

export interface DocumentToAttach {
  readonly certId: string;
  readonly documentId: string;
  readonly version: number;
  readonly fileName: string;
}

/**
 * Attaches one version of a cert's document to the draft: a freshly signed URL, its bytes, then
 * the host. `failed` is the message for a download that did not succeed.
 */
export async function attachDocument(api: ApiClient, host: Host, doc: DocumentToAttach, failed: string): Promise<void> {
  const { url } = await api.getDocumentUrl(doc.certId, doc.documentId, doc.version);
  const response = await fetch(url);
  if (!response.ok) throw new Error(failed);
  await host.attachToCompose({ name: doc.fileName, content: await response.blob() });
}

/** Whether the current item is a draft the host can attach files to. */
export function useCanAttach(): boolean {
  const host = useHost();
  const item = useCurrentItem();
  return item?.kind === "compose" && host.capabilities.attachToCompose;
}

/**
 * Attaches the latest version of every document of a cert, one after another (each one is a
 * download and an upload into the draft), with progress. Returns how many were attached.
 */
export function useAttachCertDocuments(certId: string) {
  const api = useApi();
  const host = useHost();
  const strings = useStrings();
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const mutation = useMutation({
    mutationFn: async (): Promise<number> => {
      const { items } = await api.listDocuments(certId);
      const latest = items.flatMap((doc) => {
        const newest = [...doc.versions].sort((a, b) => b.version - a.version)[0];
        return newest ? [{ certId, documentId: doc.id, version: newest.version, fileName: newest.fileName }] : [];
      });
      for (const [index, doc] of latest.entries()) {
        setProgress({ done: index, total: latest.length });
        await attachDocument(api, host, doc, strings.detail.downloadFailed);
      }
      return latest.length;
    },
    onSettled: () => {
      setProgress(null);
    },
  });
  return { mutation, progress };
}
