import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ShareCertBody } from "../../protocol/certs";
import { useApi } from "../contexts";
import { queryKeys } from "../query-keys";

/** Shares a cert to a user or location, then refreshes what depends on it (activity, thread shares). */
export function useShareCert(certId: string, conversationId: string | null) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (target: Pick<ShareCertBody, "userId" | "locationId">) =>
      api.shareCert(certId, { ...target, ...(conversationId ? { conversationRef: conversationId } : {}) }),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.activity(certId) }),
        conversationId ? queryClient.invalidateQueries({ queryKey: queryKeys.conversationShares(conversationId) }) : Promise.resolve(),
      ]);
    },
  });
}
