import type { HostAuth } from "../host/host";

/**
 * The playground learns where to sign in only from `GET /api/v1/config`. This wraps that: the
 * real `HostAuth` (the OIDC client) is created on first use, and a failed load is retried on the
 * next call instead of being remembered.
 */
export function lazyAuth(load: () => Promise<HostAuth>): HostAuth {
  let loading: Promise<HostAuth> | undefined;
  const auth = (): Promise<HostAuth> => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  return {
    getAccessToken: async () => (await auth()).getAccessToken(),
    getAccount: async () => (await auth()).getAccount(),
    signIn: async (options) => (await auth()).signIn(options),
    signOut: async () => (await auth()).signOut(),
  };
}
