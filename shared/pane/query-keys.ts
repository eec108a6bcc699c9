import type { CertScope } from "../protocol/certs";

/** TanStack Query keys of the pane, in one place so views can invalidate each other's data. */
export const queryKeys = {
  clientConfig: ["client-config"] as const,
  emailText: (itemKey: string) => ["email-text", itemKey] as const,
  sender: (email: string) => ["sender", email.toLowerCase()] as const,
  referenceMatches: (kind: string, value: string) => ["certs", "matches", kind, value] as const,
  certList: (q: string, scope: CertScope) => ["certs", "list", q, scope] as const,
  cert: (certId: string) => ["cert", certId] as const,
  documents: (certId: string) => ["documents", certId] as const,
  activity: (certId: string) => ["activity", certId] as const,
  qr: (certId: string, url: string) => ["qr", certId, url] as const,
  conversationShares: (conversationId: string) => ["conversation-shares", conversationId] as const,
  networkSearch: (q: string) => ["network-search", q] as const,
};
