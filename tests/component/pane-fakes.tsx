import { render, screen } from "@testing-library/react";
import { ApiError, type ApiClient } from "../../shared/api/client";
import { FakeHost, createFakeAuth, type FakeMailboxItem } from "../../shared/host/fake-host";
import { App, createPaneQueryClient, type PaneExtraViews, type PaneStartView } from "../../shared/pane/App";
import { loadAllPaneViews } from "../../shared/pane/shell/lazy-views";
import { samplePublicLink } from "../../shared/playground/sample-link";
import { createSampleMailbox } from "../../shared/playground/sample-mailbox";
import type { Cert } from "../../shared/protocol/certs";
import { problemTypes } from "../../shared/protocol/problem";
import { fakeApi } from "./fake-api";
import { adaMe } from "./fixtures";

/** Doubles for the pane's view tests: a strict fake API, cert fixtures, and a signed-in pane. */

export const ORIGIN = "http://localhost:3000";
export const SAMPLE_TOKEN = "tok_0123456789abcdefghij";

/** An ApiClient with only the given methods; any other call throws (see fake-api.tsx). */
export const strictApi = fakeApi;

export function notFound(title = "Not found"): ApiError {
  return new ApiError({ type: problemTypes.notFound, title, status: 404 });
}

let nextId = 1;
export function certFixture(overrides: Partial<Cert> = {}): Cert {
  const n = nextId++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    title: `Plate S355 #${n}`,
    poNumbers: ["4512"],
    heatNumbers: ["8H1234"],
    certNumbers: [],
    product: "Plate",
    standard: "EN 10204 3.1",
    metadata: {},
    ownerOrg: { id: "00000000-0000-4000-8000-000000000001", name: "Demo Metals" },
    ownerLocationIds: ["00000000-0000-4000-8000-000000000011"],
    salesLocationId: null,
    copiedFrom: null,
    revision: 1,
    createdAt: "2026-11-20T08:00:00.000Z",
    updatedAt: "2026-11-20T08:00:00.000Z",
    access: { side: "owner", canEdit: true, canShare: true, canCopy: false, canViewActivity: true },
    publicLink: { enabled: false, url: null },
    ...overrides,
  };
}

export const receiverAccess: Cert["access"] = { side: "receiver", canEdit: false, canShare: false, canCopy: true, canViewActivity: false };

export function sampleMailbox(): readonly FakeMailboxItem[] {
  return createSampleMailbox({ publicLink: samplePublicLink(ORIGIN, SAMPLE_TOKEN) });
}

/** The whole pane (App), signed in as Ada, on the given sample item; the API gets getMe and getClientConfig for free. */
export async function renderPane(options: {
  api: Partial<ApiClient>;
  itemKey?: string | null;
  host?: FakeHost;
  startView?: PaneStartView;
  extraViews?: PaneExtraViews;
}) {
  const host =
    options.host ?? new FakeHost({ mailbox: sampleMailbox(), initialItemKey: options.itemKey ?? "msg-po-4512", auth: createFakeAuth({ signedIn: true }) });
  const api = strictApi({
    getMe: () => Promise.resolve(adaMe),
    getClientConfig: () => Promise.resolve({ apiBase: `${ORIGIN}/api/v1`, oidc: { issuer: `${ORIGIN}/oidc`, clientId: "pane", scopes: ["openid"] } }),
    // Quiet defaults for what the "This email" tab asks on every item.
    listSharesForConversation: () => Promise.resolve({ items: [] }),
    lookupUserByEmail: () => Promise.reject(notFound()),
    listCerts: () => Promise.resolve({ items: [], nextCursor: null }),
    ...options.api,
  });
  // The views' code is split off (lazy-views.ts); loaded up front, tests wait on data, not on imports.
  await loadAllPaneViews();
  const queryClient = createPaneQueryClient();
  const app = (startView = options.startView, extraViews = options.extraViews) => (
    <App host={host} api={api} queryClient={queryClient} {...(startView ? { startView } : {})} {...(extraViews ? { extraViews } : {})} />
  );
  const { rerender } = render(app());
  await screen.findByTestId("me-display-name");
  /** Re-renders the same App (same host, API and cache) with another start view. */
  const restart = (startView: PaneStartView) => {
    rerender(app(startView));
  };
  return { host, api, restart };
}
