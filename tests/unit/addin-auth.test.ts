import { InteractionRequiredAuthError, type AuthenticationResult } from "@azure/msal-browser";
import { describe, expect, it } from "vitest";
import { chooseSignInMethod, entraAuthority, isEntraIssuer } from "../../addin/auth/choose-auth";
import { DialogAuth, SignInError } from "../../addin/auth/dialog-auth";
import { NaaAuth } from "../../addin/auth/naa-auth";
import { PROMPT_LOGIN_KEY, SESSION_KEY, SessionStore, jwtExpiry, type StoredSession } from "../../addin/auth/session-store";

class MemoryStorage {
  readonly map = new Map<string, string>();
  getItem(key: string) { return this.map.get(key) ?? null; }
  setItem(key: string, value: string) { this.map.set(key, value); }
  removeItem(key: string) { this.map.delete(key); }
}

const now = 1_800_000_000_000;
const session: StoredSession = { idToken: "header.payload.sig", expiresAt: now + 3_600_000, account: { subject: "demo-writer", name: "Walt Writer" } };

function jwt(claims: object): string {
  const encode = (value: object) => btoa(JSON.stringify(value)).replace(/\+/gu, "-").replace(/\//gu, "_").replace(/=+$/u, "");
  return `${encode({ alg: "RS256" })}.${encode(claims)}.signature`;
}

describe("chooseSignInMethod", () => {
  const entra = { oidc: { issuer: "https://login.microsoftonline.com/2f1c3a9e-0000-4000-8000-000000000001/v2.0", clientId: "c", scopes: [] } };
  const local = { oidc: { issuer: "http://localhost:3000/oidc", clientId: "smartcert-pane", scopes: [] } };
  it("uses NAA only for Microsoft Entra in an Outlook that supports it; the Office dialog otherwise", () => {
    expect(chooseSignInMethod(entra, true)).toBe("naa");
    expect(chooseSignInMethod(entra, false)).toBe("dialog");
    expect(chooseSignInMethod(local, true)).toBe("dialog");
    expect(isEntraIssuer("https://login.microsoftonline.com.evil.example/x/v2.0")).toBe(false);
    expect(isEntraIssuer("http://login.microsoftonline.com/x/v2.0")).toBe(false);
    expect(entraAuthority(entra.oidc.issuer)).toBe("https://login.microsoftonline.com/2f1c3a9e-0000-4000-8000-000000000001");
  });
});

describe("SessionStore", () => {
  it("returns a valid session and drops expired or malformed ones", () => {
    const storage = new MemoryStorage();
    let clock = now;
    const store = new SessionStore(storage, () => clock);
    store.write(session);
    expect(store.read()).toEqual(session);
    clock = session.expiresAt - 10_000; // inside the 30 s skew
    expect(store.read()).toBeNull();
    expect(storage.getItem(SESSION_KEY)).toBeNull();
    storage.setItem(SESSION_KEY, "{not json");
    expect(store.read()).toBeNull();
    storage.setItem(SESSION_KEY, JSON.stringify({ idToken: "" }));
    expect(store.read()).toBeNull();
  });

  it("remembers a sign-out until the next sign-in", () => {
    const store = new SessionStore(new MemoryStorage(), () => now);
    store.write(session);
    store.clear();
    expect(store.read()).toBeNull();
    expect(store.promptLogin).toBe(true);
    store.write(session);
    expect(store.promptLogin).toBe(false);
  });

  it("reads a JWT's expiry from base64url", () => {
    expect(jwtExpiry(jwt({ exp: 1_800_000_123, name: "Åsa ~~~???" }))).toBe(1_800_000_123_000);
  });
});

type DialogHandler = (event: { message: string; origin: string } | { error: number }) => void;

function officeUi(open: "ok" | "fail" = "ok") {
  const state = { urls: [] as string[], handlers: new Map<string, DialogHandler>(), closed: 0 };
  const ui = {
    displayDialogAsync: (url: string, _options: unknown, callback: (result: unknown) => void) => {
      state.urls.push(url);
      const dialog = { addEventHandler: (type: string, handler: DialogHandler) => state.handlers.set(type, handler), close: () => { state.closed++; } };
      callback(open === "ok" ? { status: "succeeded", value: dialog } : { status: "failed", error: { code: 12007, message: "A dialog box is already opened." } });
    },
  };
  return { ui: ui as unknown as Pick<Office.UI, "displayDialogAsync">, state };
}

describe("DialogAuth (Office dialog API)", () => {
  it("keeps the session the dialog sends and closes the dialog", async () => {
    const storage = new MemoryStorage();
    const { ui, state } = officeUi();
    const auth = new DialogAuth({ ui, store: new SessionStore(storage, () => now), origin: "https://localhost:3443" });
    expect(await auth.getAccessToken()).toBeNull();
    const outcome = auth.signIn();
    expect(state.urls).toEqual(["https://localhost:3443/addin/auth-dialog.html"]);
    state.handlers.get("dialogMessageReceived")?.({ message: JSON.stringify({ type: "smartcert-signed-in", session }), origin: "https://localhost:3443" });
    await expect(outcome).resolves.toBe("signed-in");
    expect(state.closed).toBe(1);
    expect(await auth.getAccessToken()).toBe(session.idToken);
    expect(await auth.getAccount()).toEqual(session.account);
  });

  it("rejects an unexpected message or one from another origin, reports a closed dialog as cancelled, and asks again after sign-out", async () => {
    const storage = new MemoryStorage();
    const { ui, state } = officeUi();
    const auth = new DialogAuth({ ui, store: new SessionStore(storage, () => now), origin: "https://localhost:3443" });
    const bad = auth.signIn();
    state.handlers.get("dialogMessageReceived")?.({ message: JSON.stringify({ type: "smartcert-signed-in", session: { idToken: 42 } }), origin: "x" });
    await expect(bad).rejects.toBeInstanceOf(SignInError);
    expect(storage.getItem(SESSION_KEY)).toBeNull();

    const foreign = auth.signIn();
    state.handlers.get("dialogMessageReceived")?.({ message: JSON.stringify({ type: "smartcert-signed-in", session }), origin: "https://evil.example" });
    await expect(foreign).rejects.toBeInstanceOf(SignInError);
    expect(storage.getItem(SESSION_KEY)).toBeNull();

    const cancelled = auth.signIn();
    state.handlers.get("dialogEventReceived")?.({ error: 12006 });
    await expect(cancelled).resolves.toBe("cancelled");

    await auth.signOut();
    expect(storage.getItem(PROMPT_LOGIN_KEY)).toBe("1");
    void auth.signIn();
    expect(state.urls.at(-1)).toBe("https://localhost:3443/addin/auth-dialog.html?prompt=login");
  });

  it("says when Outlook cannot open the dialog", async () => {
    const auth = new DialogAuth({ ui: officeUi("fail").ui, store: new SessionStore(new MemoryStorage(), () => now), origin: "https://x.example" });
    await expect(auth.signIn()).rejects.toThrow("Outlook could not open the sign-in window: A dialog box is already opened.");
  });
});

describe("NaaAuth (MSAL nested app authentication)", () => {
  const account = { homeAccountId: "h", environment: "login.microsoftonline.com", tenantId: "t", username: "walt@contoso.example", localAccountId: "l" };
  function result(exp: number): AuthenticationResult {
    return { idToken: jwt({ exp }), idTokenClaims: { sub: "entra-sub", preferred_username: "walt@contoso.example", name: "Walt", exp }, account, uniqueId: "u" } as unknown as AuthenticationResult;
  }
  function fakePca(silent: "ok" | "interaction") {
    const calls: string[] = [];
    const pca = {
      acquireTokenSilent: () => { calls.push("silent"); return silent === "ok" ? Promise.resolve(result(now / 1000 + 3600)) : Promise.reject(new InteractionRequiredAuthError("interaction_required", "test-correlation-id")); },
      acquireTokenPopup: (request: { prompt?: string }) => { calls.push(`popup:${request.prompt ?? ""}`); return Promise.resolve(result(now / 1000 + 3600)); },
      getActiveAccount: () => null,
      getAllAccounts: () => [],
      setActiveAccount: () => { calls.push("setActive"); },
      clearCache: () => { calls.push("clearCache"); return Promise.resolve(); },
    };
    return { pca, calls };
  }

  it("gets the token silently when Outlook can broker it", async () => {
    const { pca, calls } = fakePca("ok");
    const auth = new NaaAuth(pca, new SessionStore(new MemoryStorage(), () => now));
    expect(await auth.getAccessToken()).toMatch(/\.signature$/u);
    expect(await auth.getAccount()).toEqual({ subject: "entra-sub", email: "walt@contoso.example", name: "Walt" });
    expect(calls).toEqual(["silent", "setActive"]);
  });

  it("falls back to the popup when interaction is required, never from getAccessToken", async () => {
    const { pca, calls } = fakePca("interaction");
    const auth = new NaaAuth(pca, new SessionStore(new MemoryStorage(), () => now));
    expect(await auth.getAccessToken()).toBeNull();
    expect(calls).toEqual(["silent"]);
    await expect(auth.signIn()).resolves.toBe("signed-in");
    expect(calls).toEqual(["silent", "silent", "popup:", "setActive"]);
  });

  it("signs out locally and stays signed out until the user signs in, then lets them choose the account", async () => {
    const { pca, calls } = fakePca("ok");
    const auth = new NaaAuth(pca, new SessionStore(new MemoryStorage(), () => now));
    await auth.signIn();
    await auth.signOut();
    calls.length = 0;
    expect(await auth.getAccessToken()).toBeNull();
    expect(calls).toEqual([]);
    await auth.signIn();
    expect(calls).toEqual(["popup:select_account", "setActive"]);
  });
});
