import { describe, expect, it, vi } from "vitest";
import { ApiError, clientProblemTypes, createApiClient } from "../../shared/api/client";
import { problemTypes } from "../../shared/protocol/problem";
import { adaMe as me } from "./fixtures";


const json = (body: unknown, status = 200, type = "application/json") =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": type } });
const problem = (status: number, type: string, title: string) =>
  json({ type, title, status }, status, "application/problem+json");

function client(fetchImpl: (url: string, init: RequestInit) => Promise<Response>, token: string | null = "tok") {
  const fetchMock = vi.fn(fetchImpl);
  const api = createApiClient({
    baseUrl: "http://api.test/api/v1/",
    getToken: () => Promise.resolve(token),
    fetch: fetchMock as unknown as typeof fetch,
    retryDelayMs: 1,
  });
  return { api, fetchMock };
}

describe("createApiClient", () => {
  it("sends the bearer token and parses the response with the wire schema", async () => {
    const { api, fetchMock } = client(() => Promise.resolve(json(me)));
    await expect(api.getMe()).resolves.toEqual(me);
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe("http://api.test/api/v1/me");
    expect(new Headers(init?.headers).get("authorization")).toBe("Bearer tok");
  });

  it("does not send a token to the public config endpoint", async () => {
    const config = { apiBase: "/api/v1", oidc: { issuer: "http://localhost:3000/oidc", clientId: "smartcert-pane", scopes: ["openid"] } };
    const { api, fetchMock } = client(() => Promise.resolve(json(config)));
    await expect(api.getClientConfig()).resolves.toEqual(config);
    expect(new Headers(fetchMock.mock.calls[0]?.[1].headers).has("authorization")).toBe(false);
  });

  it("throws an ApiError carrying the server's Problem on non-2xx", async () => {
    const { api } = client(() => Promise.resolve(problem(403, problemTypes.notInvited, "No organization has invited you")));
    const error: unknown = await api.getMe().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ type: problemTypes.notInvited, status: 403, title: "No organization has invited you" });
  });

  it("makes up a Problem when the error body is not one", async () => {
    const { api } = client(() => Promise.resolve(new Response("<html>bad gateway</html>", { status: 500, statusText: "Internal" })));
    await expect(api.listLocations()).rejects.toMatchObject({ type: "about:blank", status: 500, title: "Internal" });
  });

  it("retries an idempotent GET once on 503, then succeeds", async () => {
    const answers = [problem(503, problemTypes.unavailable, "Try later"), json({ items: [] })];
    const { api, fetchMock } = client(() => Promise.resolve(answers.shift() ?? json({}, 500)));
    await expect(api.listUsers()).resolves.toEqual({ items: [] });
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it("retries a GET only once on network failure and then reports a network problem", async () => {
    const { api, fetchMock } = client(() => Promise.reject(new TypeError("fetch failed")));
    await expect(api.getMe()).rejects.toMatchObject({ type: clientProblemTypes.network, status: 0 });
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it("never retries a POST", async () => {
    const { api, fetchMock } = client(() => Promise.resolve(problem(503, problemTypes.unavailable, "Try later")));
    await expect(api.createLocation({ name: "Oslo" })).rejects.toMatchObject({ status: 503 });
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const init = fetchMock.mock.calls[0]?.[1];
    expect(init?.method).toBe("POST");
    expect(init?.body).toBe(JSON.stringify({ name: "Oslo" }));
  });

  it("sends PATCH to the user's URL and rejects a response that does not match the schema", async () => {
    const { api, fetchMock } = client(() => Promise.resolve(json({ id: "not-a-user" })));
    await expect(api.updateUser("00000000-0000-4000-8000-000000000102", { roles: ["writer"] })).rejects.toMatchObject({
      type: clientProblemTypes.invalidResponse,
    });
    expect(fetchMock.mock.calls[0]?.[0]).toBe("http://api.test/api/v1/users/00000000-0000-4000-8000-000000000102");
  });
});
