import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ApiError, createApiClient, type ApiClient } from "../../shared/api/client";
import { OidcError } from "../../shared/auth/oidc-client";
import { FakeHost, createFakeAuth } from "../../shared/host/fake-host";
import type { HostAuth } from "../../shared/host/host";
import { App, createPaneQueryClient } from "../../shared/pane/App";
import { loadAllPaneViews } from "../../shared/pane/shell/lazy-views";
import { problemTypes } from "../../shared/protocol/problem";
import { sampleMailbox } from "../../shared/playground/sample-mailbox";
import { adaMe } from "./fixtures";


/** The real API client over a fetch double: the pane is tested through the same parsing as in production. */
function apiAnswering(answer: (path: string) => Response): { api: ApiClient; fetchMock: ReturnType<typeof vi.fn> } {
  const fetchMock = vi.fn((url: string) => Promise.resolve(answer(new URL(url).pathname)));
  const api = createApiClient({
    baseUrl: "http://localhost:3000/api/v1",
    getToken: () => Promise.resolve("token"),
    fetch: fetchMock as unknown as typeof fetch,
    retryDelayMs: 1,
  });
  return { api, fetchMock };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": status < 300 ? "application/json" : "application/problem+json" } });

function renderPane(options: { auth?: HostAuth; api: ApiClient; host?: FakeHost }) {
  const host = options.host ?? new FakeHost({ mailbox: sampleMailbox, initialItemKey: "msg-po-4512", auth: options.auth ?? createFakeAuth() });
  render(<App host={host} api={options.api} queryClient={createPaneQueryClient()} />);
  return host;
}

// The views' code is split off (lazy-views.ts); loaded up front, tests wait on data, not on imports.
beforeAll(loadAllPaneViews);

afterEach(() => {
  cleanup();
});

describe("pane", () => {
  it("shows the signed-out state with a Sign in button, and getMe after signing in", async () => {
    const { api, fetchMock } = apiAnswering(() => json(adaMe));
    const auth = createFakeAuth();
    const signIn = vi.spyOn(auth, "signIn");
    renderPane({ auth, api });

    const button = await screen.findByRole("button", { name: "Sign in" });
    expect(screen.queryByTestId("me-display-name")).toBeNull();
    expect(fetchMock).not.toHaveBeenCalled();

    fireEvent.click(button);
    await waitFor(() => {
      expect(signIn).toHaveBeenCalledTimes(1);
    });
    expect((await screen.findByTestId("me-display-name")).textContent).toContain("Ada Admin");
    expect(screen.getByTestId("me-org-name").textContent).toContain("Demo Metals");
  });

  it("shows the user's name, organization and roles from getMe, and the current email", async () => {
    const { api } = apiAnswering((path) => (path === "/api/v1/me" ? json(adaMe) : json({}, 404)));
    const host = renderPane({ auth: createFakeAuth({ signedIn: true }), api });

    expect((await screen.findByTestId("me-display-name")).textContent).toBe("Ada Admin");
    expect(screen.getByTestId("me-org-name").textContent).toBe("Demo Metals");
    const roles = screen.getByRole("list", { name: "Roles" });
    expect(roles.textContent).toContain("Admin");
    expect(roles.textContent).toContain("Writer");
    expect(screen.getByTestId("current-item-subject").textContent).toBe("Certs for PO 4512, heat 8H1234");

    act(() => {
      host.select("msg-mill-certs");
    });
    expect(screen.getByTestId("current-item-subject").textContent).toContain("delivery 7781");
    expect(screen.getByTestId("current-item").textContent).toContain("2 attachments");
    act(() => {
      host.select(null);
    });
    expect(screen.getByTestId("current-item").textContent).toContain("Select an email");
  });

  it("explains a not-invited identity and offers another account or signing out", async () => {
    const { api } = apiAnswering(() =>
      json({ type: problemTypes.notInvited, title: "You are not a member of any organization", status: 403 }, 403),
    );
    const auth = createFakeAuth({ signedIn: true, account: { subject: "x", email: "eve@elsewhere.example" } });
    const switchSpy = vi.spyOn(auth, "signIn");
    renderPane({ auth, api });

    const message = await screen.findByTestId("not-invited");
    expect(message.textContent).toContain(
      "You're signed in as eve@elsewhere.example, but no organization has invited this address. Ask your admin to invite you.",
    );
    fireEvent.click(screen.getByRole("button", { name: "Try another account" }));
    await waitFor(() => {
      expect(switchSpy).toHaveBeenCalledWith({ forceAccountChoice: true });
    });
  });

  it("signs out from the not-invited state back to the Sign in button", async () => {
    const api: ApiClient = {
      ...apiAnswering(() => json({}, 500)).api,
      getMe: () => Promise.reject(new ApiError({ type: problemTypes.notInvited, title: "Not invited", status: 403 })),
    };
    renderPane({ auth: createFakeAuth({ signedIn: true }), api });
    await screen.findByTestId("not-invited");
    expect(screen.getByTestId("not-invited").textContent).toContain("signed in as ada.admin@demo-metals.example");
    fireEvent.click(screen.getByRole("button", { name: "Sign out" }));
    expect(await screen.findByRole("button", { name: "Sign in" })).toBeTruthy();
  });

  it("shows the Problem title with Retry, and recovers when Retry succeeds", async () => {
    let calls = 0;
    const { api } = apiAnswering(() => {
      calls += 1;
      return calls <= 1 ? json({ type: problemTypes.rateLimited, title: "Too many requests; slow down", status: 429 }, 429) : json(adaMe);
    });
    renderPane({ auth: createFakeAuth({ signedIn: true }), api });

    const error = await screen.findByTestId("pane-error");
    expect(error.textContent).toContain("Too many requests; slow down");
    fireEvent.click(screen.getByRole("button", { name: "Retry" }));
    expect((await screen.findByTestId("me-display-name")).textContent).toBe("Ada Admin");
  });

  it("offers Sign in again when the API says the session is no longer valid", async () => {
    const { api } = apiAnswering(() => json({ type: problemTypes.unauthenticated, title: "Sign in first", status: 401 }, 401));
    renderPane({ auth: createFakeAuth({ signedIn: true }), api });
    expect((await screen.findByTestId("pane-error")).textContent).toContain("Your sign-in has expired.");
    expect(screen.getByRole("button", { name: "Sign in again" })).toBeTruthy();
  });

  it("says why the last sign-in did not complete, keeping a single Sign in button", async () => {
    const { api } = apiAnswering(() => json(adaMe));
    const auth = createFakeAuth();
    auth.getAccessToken = () => Promise.reject(new OidcError("callback-failed", "The state did not match."));
    renderPane({ auth, api });

    const error = await screen.findByTestId("pane-error");
    expect(error.textContent).toContain("Sign-in didn't complete. Try again.");
    expect(error.textContent).toContain("The state did not match.");
    expect(screen.getAllByRole("button").map((b) => b.textContent)).toEqual(["Sign in"]);
  });
});
