import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { useApi } from "../contexts";
import { queryKeys } from "../query-keys";
import { ChangeStream } from "./change-stream";

/**
 * Follows the change stream while the component is mounted (the signed-in pane: sign-out unmounts
 * it, which stops the stream). Each batch of changed certs refreshes what the pane shows of them
 * — every cert list and search, and the open cert's detail, documents and activity — then goes to
 * `onChanges`. While the document is hidden the stream is closed (an idle Outlook or Gmail tab
 * holds no connection); on return it reconnects and reads what it missed.
 *
 * EventSource is a browser API, not a host one: the pane in the playground, the Outlook add-in and
 * the Gmail extension's sidebar all have it. Where it does not exist (jsdom) the hook does nothing.
 */
export function useChangeStream(onChanges: (certIds: readonly string[]) => void): void {
  const api = useApi();
  const queryClient = useQueryClient();
  const latest = useRef(onChanges);
  useEffect(() => {
    latest.current = onChanges;
  });
  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    let disposed = false;
    const stream = new ChangeStream({
      api,
      openEventSource: (url) => new EventSource(url),
      onChanges: (certIds) => {
        if (disposed) return;
        void queryClient.invalidateQueries({ queryKey: ["certs"] });
        for (const certId of certIds) {
          for (const key of [queryKeys.cert(certId), queryKeys.documents(certId), queryKeys.activity(certId)]) void queryClient.invalidateQueries({ queryKey: key });
        }
        latest.current(certIds);
      },
    });
    const follow = () => {
      if (document.hidden) stream.stop();
      else stream.start();
    };
    follow();
    document.addEventListener("visibilitychange", follow);
    return () => {
      disposed = true;
      document.removeEventListener("visibilitychange", follow);
      stream.stop();
    };
  }, [api, queryClient]);
}

/**
 * How many certs changed since the user last saw the Certs tab. While `seeing` (the tab is shown)
 * nothing accumulates and the count is 0: the open list refreshes by itself.
 */
export function useNewCertCount(seeing: boolean): number {
  const [unseen, setUnseen] = useState<ReadonlySet<string>>(() => new Set());
  const seeingNow = useRef(seeing);
  useEffect(() => {
    seeingNow.current = seeing;
    if (seeing) setUnseen((previous) => (previous.size === 0 ? previous : new Set()));
  }, [seeing]);
  useChangeStream(
    useCallback((certIds: readonly string[]) => {
      if (seeingNow.current) return;
      setUnseen((previous) => {
        const next = new Set(previous);
        for (const id of certIds) next.add(id);
        return next.size === previous.size ? previous : next;
      });
    }, []),
  );
  return seeing ? 0 : unseen.size;
}
