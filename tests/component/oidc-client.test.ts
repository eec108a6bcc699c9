// @vitest-environment node
// Node, not jsdom: WebCrypto results must be ArrayBuffers of the same realm oauth4webapi checks
// against (jsdom swaps the globals). Storage, location and history are injected instead.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { OidcClient, OidcError, allowsInsecureRequests, type OidcClientOptions } from "../../shared/auth/oidc-client";

const issuer = "http://localhost:3000/oidc";
const clientId = "smartcert-pane";
const redirectUri = "http://localhost:3000/";

const metadata = {
  issuer,
  authorization_endpoint: `${issuer}/auth`,
  token_endpoint: `${issuer}/token`,
  jwks_uri: `${issuer}/jwks`,
  id_token_signing_alg_values_supported: ["RS256"],
  authorization_response_iss_parameter_supported: true,
  code_challenge_methods_supported: ["S256"],
};

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
/** An ID token as the token endpoint returns it (oauth4webapi validates its claims; the API validates its signature). */
function idToken(claims: Record<string, unknown>): string {
  return `${b64url({ alg: "RS256", typ: "JWT", kid: "k1" })}.${b64url(claims)}.${Buffer.from("signature").toString("base64url")}`;
}

/** The nonce of the last authorization request, which the fake token endpoint echoes. */
let lastNonce = "";

/** sessionStorage for one simulated tab. */
class MemoryStorage implements Storage {
  #items = new Map<string, string>();
  get length(): number {
    return this.#items.size;
  }
  clear(): void {
    this.#items.clear();
  }
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.#items.delete(key);
  }
  setItem(key: string, value: string): void {
    this.#items.set(key, value);
  }
}
const sessionStorage = new MemoryStorage();

interface Harness {
  client: OidcClient;
  location: { href: string; assign: ReturnType<typeof vi.fn> };
  history: { state: unknown; replaceState: ReturnType<typeof vi.fn> };
  fetchMock: ReturnType<typeof vi.fn>;
  tokenRequests: URLSearchParams[];
}

function harness(href: string, tokenClaims?: (nonce: string) => Record<string, unknown>): Harness {
  const tokenRequests: URLSearchParams[] = [];
  const fetchMock = vi.fn((url: string, init: RequestInit) => {
    if (url === `${issuer}/.well-known/openid-configuration`) return Promise.resolve(Response.json(metadata));
    if (url === `${issuer}/token`) {
      const body = new URLSearchParams(init.body instanceof URLSearchParams ? init.body : undefined);
      tokenRequests.push(body);
      const nonce = lastNonce;
      const claims = tokenClaims?.(nonce) ?? {
        iss: issuer,
        aud: clientId,
        sub: "demo-admin",
        email: "ada.admin@demo-metals.example",
        name: "Ada Admin",
        nonce,
        iat: Math.floor(Date.now() / 1000),
        exp: Math.floor(Date.now() / 1000) + 3600,
      };
      return Promise.resolve(
        Response.json({ access_token: "opaque", token_type: "Bearer", expires_in: 3600, id_token: idToken(claims) }),
      );
    }
    return Promise.resolve(new Response("not found", { status: 404 }));
  });
  const location = { href, assign: vi.fn() };
  const history = { state: { keep: true }, replaceState: vi.fn() };
  const options: OidcClientOptions = {
    issuer,
    clientId,
    scopes: ["openid", "email", "profile"],
    redirectUri,
    location,
    history,
    fetch: fetchMock as unknown as typeof fetch,
    storage: sessionStorage,
  };
  return { client: new OidcClient(options), location, history, fetchMock, tokenRequests };
}

async function startSignIn(): Promise<URL> {
  const { client, location } = harness("http://localhost:3000/");
  await expect(client.signIn()).resolves.toBe("redirecting");
  const authUrl = new URL(String(location.assign.mock.calls[0]?.[0]));
  lastNonce = authUrl.searchParams.get("nonce") ?? "";
  return authUrl;
}

beforeEach(() => {
  sessionStorage.clear();
  vi.useRealTimers();
});

describe("OidcClient", () => {
  it("allows plain http only for a localhost issuer", () => {
    expect(allowsInsecureRequests(new URL("http://localhost:3000/oidc"))).toBe(true);
    expect(allowsInsecureRequests(new URL("http://127.0.0.1:3000/oidc"))).toBe(true);
    expect(allowsInsecureRequests(new URL("http://idp.example/oidc"))).toBe(false);
    expect(allowsInsecureRequests(new URL("https://idp.example/oidc"))).toBe(false);
  });

  it("redirects to the provider with PKCE S256, state and nonce", async () => {
    const authUrl = await startSignIn();
    expect(`${authUrl.origin}${authUrl.pathname}`).toBe(`${issuer}/auth`);
    const params = authUrl.searchParams;
    expect(params.get("client_id")).toBe(clientId);
    expect(params.get("redirect_uri")).toBe(redirectUri);
    expect(params.get("response_type")).toBe("code");
    expect(params.get("scope")).toBe("openid email profile");
    expect(params.get("code_challenge_method")).toBe("S256");
    expect(params.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get("prompt")).toBeNull();
    const pending = JSON.parse(sessionStorage.getItem("smartcert.oidc.pending") ?? "{}") as Record<string, string>;
    expect(pending.state).toBe(params.get("state"));
    expect(pending.nonce).toBe(params.get("nonce"));
    expect(pending.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("redeems the code on the way back, keeps the ID token, and cleans the address bar", async () => {
    const authUrl = await startSignIn();
    const state = authUrl.searchParams.get("state") ?? "";
    const back = harness(`http://localhost:3000/?code=abc&state=${state}&iss=${encodeURIComponent(issuer)}#frag`);

    const token = await back.client.getAccessToken();
    expect(token?.split(".")).toHaveLength(3);
    await expect(back.client.getAccount()).resolves.toEqual({
      subject: "demo-admin",
      email: "ada.admin@demo-metals.example",
      name: "Ada Admin",
    });
    const request = back.tokenRequests[0];
    expect(request?.get("grant_type")).toBe("authorization_code");
    expect(request?.get("code")).toBe("abc");
    expect(request?.get("redirect_uri")).toBe(redirectUri);
    expect(request?.get("code_verifier")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(back.history.replaceState).toHaveBeenCalledWith({ keep: true }, "", "/#frag");
    expect(sessionStorage.getItem("smartcert.oidc.pending")).toBeNull();

    // Another client in the same tab (a reload) still has the session; sign-out forgets it.
    const reloaded = harness("http://localhost:3000/");
    await expect(reloaded.client.getAccessToken()).resolves.toBe(token);
    await reloaded.client.signOut();
    await expect(reloaded.client.getAccessToken()).resolves.toBeNull();
    // After sign-out the provider is asked to show its sign-in page again.
    await reloaded.client.signIn();
    expect(new URL(String(reloaded.location.assign.mock.calls[0]?.[0])).searchParams.get("prompt")).toBe("login");
  });

  it("rejects an ID token with the wrong nonce, once, and is then signed out", async () => {
    const authUrl = await startSignIn();
    const state = authUrl.searchParams.get("state") ?? "";
    const back = harness(`http://localhost:3000/?code=abc&state=${state}&iss=${encodeURIComponent(issuer)}`, () => ({
      iss: issuer,
      aud: clientId,
      sub: "demo-admin",
      nonce: "not-the-nonce",
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 3600,
    }));
    await expect(back.client.getAccessToken()).rejects.toBeInstanceOf(OidcError);
    await expect(back.client.getAccessToken()).resolves.toBeNull();
    expect(back.history.replaceState).toHaveBeenCalledWith({ keep: true }, "", "/");
  });

  it("rejects a callback whose state this tab did not start, without redeeming the code", async () => {
    await startSignIn();
    const back = harness(`http://localhost:3000/?code=abc&state=forged&iss=${encodeURIComponent(issuer)}`);
    await expect(back.client.handleRedirectCallback()).rejects.toMatchObject({ code: "callback-failed" });
    expect(back.tokenRequests).toHaveLength(0);
  });

  it("reports a provider error (access_denied) as authorization-denied", async () => {
    const authUrl = await startSignIn();
    const state = authUrl.searchParams.get("state") ?? "";
    const back = harness(
      `http://localhost:3000/?error=access_denied&error_description=User%20cancelled&state=${state}&iss=${encodeURIComponent(issuer)}`,
    );
    await expect(back.client.handleRedirectCallback()).rejects.toMatchObject({ code: "authorization-denied", message: "User cancelled" });
  });

  it("treats an expired ID token as signed out", async () => {
    const authUrl = await startSignIn();
    const state = authUrl.searchParams.get("state") ?? "";
    const back = harness(`http://localhost:3000/?code=abc&state=${state}&iss=${encodeURIComponent(issuer)}`);
    await expect(back.client.getAccessToken()).resolves.not.toBeNull();

    vi.useFakeTimers({ now: Date.now() + 3600_000, toFake: ["Date"] });
    const later = harness("http://localhost:3000/");
    await expect(later.client.getAccessToken()).resolves.toBeNull();
    expect(sessionStorage.getItem("smartcert.oidc.session")).toBeNull();
  });

  it("does nothing on an ordinary page load", async () => {
    const { client, fetchMock, history } = harness("http://localhost:3000/?view=inbox");
    await expect(client.handleRedirectCallback()).resolves.toBe("not-a-callback");
    await expect(client.getAccessToken()).resolves.toBeNull();
    expect(fetchMock).not.toHaveBeenCalled();
    expect(history.replaceState).not.toHaveBeenCalled();
  });
});
