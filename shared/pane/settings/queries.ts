import { useQuery } from "@tanstack/react-query";
import { useApi } from "../contexts";

/** Query keys of the create and settings views. `me` is the shell's key too, so all share one answer. */
export const meQueryKey = ["me"] as const;
export const locationsQueryKey = ["locations"] as const;
export const usersQueryKey = ["users"] as const;

export function useMe() {
  const api = useApi();
  return useQuery({ queryKey: meQueryKey, queryFn: ({ signal }) => api.getMe({ signal }) });
}

export function useLocations() {
  const api = useApi();
  return useQuery({ queryKey: locationsQueryKey, queryFn: ({ signal }) => api.listLocations({ signal }) });
}

export function useUsers() {
  const api = useApi();
  return useQuery({ queryKey: usersQueryKey, queryFn: ({ signal }) => api.listUsers({ signal }) });
}
