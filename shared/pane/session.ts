import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import type { HostAccount, SignInOptions, SignInOutcome } from "../host/host";
import { useHost } from "./contexts";

/** Whether someone is signed in, as the host's auth reports it. */
export type Session = { readonly status: "signed-out" } | { readonly status: "signed-in"; readonly account: HostAccount | null };

export const sessionQueryKey = ["session"] as const;

export function useSession() {
  const host = useHost();
  return useQuery({
    queryKey: sessionQueryKey,
    queryFn: async (): Promise<Session> => {
      const token = await host.auth.getAccessToken();
      if (token === null) return { status: "signed-out" };
      return { status: "signed-in", account: await host.auth.getAccount() };
    },
    staleTime: Infinity,
  });
}

/** Drops everything cached for the previous user and re-reads the session. */
async function resetForNewSession(queryClient: QueryClient): Promise<void> {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionQueryKey[0] });
  await queryClient.invalidateQueries({ queryKey: sessionQueryKey });
}

export function useSignIn() {
  const host = useHost();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (options?: SignInOptions): Promise<SignInOutcome> => host.auth.signIn(options),
    onSuccess: async (outcome) => {
      if (outcome === "signed-in") await resetForNewSession(queryClient);
    },
  });
}

export function useSignOut() {
  const host = useHost();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => host.auth.signOut(),
    onSuccess: () => {
      // Show the signed-out view first, so nothing refetches with the old identity.
      queryClient.setQueryData<Session>(sessionQueryKey, { status: "signed-out" });
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionQueryKey[0] });
    },
  });
}

/** Sign out, then sign in with a choice of account (for "try another account"). */
export function useSwitchAccount() {
  const host = useHost();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (): Promise<SignInOutcome> => {
      await host.auth.signOut();
      return host.auth.signIn({ forceAccountChoice: true });
    },
    onSuccess: async (outcome) => {
      if (outcome !== "redirecting") await resetForNewSession(queryClient);
    },
  });
}
