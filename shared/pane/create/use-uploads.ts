import { useCallback, useEffect, useRef, useState } from "react";
import type { AttachmentInfo } from "../../host/host";
import { useApi, useHost } from "../contexts";

export type UploadStatus = "reading" | "uploading" | "done" | "failed" | "cancelled";

/** One attachment on its way to the new cert. */
export interface UploadItem {
  readonly attachment: AttachmentInfo;
  readonly status: UploadStatus;
  readonly sent: number;
  readonly total: number;
  readonly error: unknown;
}

export interface Uploads {
  readonly items: readonly UploadItem[];
  /** Starts uploading every attachment (all at once) to the cert. */
  readonly start: (certId: string, itemKey: string, attachments: readonly AttachmentInfo[]) => void;
  readonly cancel: (attachmentId: string) => void;
  readonly cancelAll: () => void;
  readonly retry: (attachmentId: string) => void;
}

/**
 * Reads each attachment from the host and uploads it with `uploadDocument`, keeping per-file
 * progress and an AbortController per file. Everything still running is cancelled on unmount.
 */
export function useUploads(): Uploads {
  const host = useHost();
  const api = useApi();
  const [items, setItems] = useState<readonly UploadItem[]>([]);
  const controllers = useRef(new Map<string, AbortController>());
  const target = useRef<{ certId: string; itemKey: string } | null>(null);

  const patch = useCallback((id: string, change: Partial<UploadItem>) => {
    setItems((previous) => previous.map((item) => (item.attachment.id === id ? { ...item, ...change } : item)));
  }, []);

  const run = useCallback(
    async (attachment: AttachmentInfo) => {
      const to = target.current;
      if (to === null) return;
      const id = attachment.id;
      const controller = new AbortController();
      controllers.current.get(id)?.abort();
      controllers.current.set(id, controller);
      patch(id, { status: "reading", sent: 0, error: undefined });
      try {
        const blob = await host.getAttachmentContent(to.itemKey, id);
        controller.signal.throwIfAborted();
        patch(id, { status: "uploading", total: blob.size });
        await api.uploadDocument(to.certId, blob, attachment.name, {
          signal: controller.signal,
          onProgress: (sent, total) => {
            patch(id, { sent, total });
          },
        });
        patch(id, { status: "done", sent: blob.size, total: blob.size });
      } catch (error) {
        patch(id, controller.signal.aborted ? { status: "cancelled" } : { status: "failed", error });
      } finally {
        if (controllers.current.get(id) === controller) controllers.current.delete(id);
      }
    },
    [api, host, patch],
  );

  const start = useCallback(
    (certId: string, itemKey: string, attachments: readonly AttachmentInfo[]) => {
      target.current = { certId, itemKey };
      setItems(attachments.map((attachment) => ({ attachment, status: "reading", sent: 0, total: attachment.size, error: undefined })));
      for (const attachment of attachments) void run(attachment);
    },
    [run],
  );

  const cancel = useCallback((id: string) => {
    controllers.current.get(id)?.abort();
  }, []);

  const cancelAll = useCallback(() => {
    for (const controller of controllers.current.values()) controller.abort();
  }, []);

  const retry = useCallback(
    (id: string) => {
      const item = items.find((i) => i.attachment.id === id);
      if (item) void run(item.attachment);
    },
    [items, run],
  );

  useEffect(() => {
    const running = controllers.current;
    return () => {
      for (const controller of running.values()) controller.abort();
    };
  }, []);

  return { items, start, cancel, cancelAll, retry };
}
