import { describe, expect, it, vi } from "vitest";
import { isApiError } from "../../shared/api/client";
import { createLazyApiClient } from "../../shared/pane/lazy-api-client";
import { adaMe } from "./fixtures";

describe("lazy API client", () => {
  it("loads the real client on the first call and parses with its schemas", async () => {
    const fetchMock = vi.fn(() => Promise.resolve(Response.json(adaMe)));
    const api = createLazyApiClient({ baseUrl: "http://localhost:3000/api/v1", getToken: () => Promise.resolve("token"), fetch: fetchMock });
    expect(fetchMock).not.toHaveBeenCalled();
    expect(await api.getMe()).toEqual(adaMe);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("keeps the real client's errors (a schema mismatch is still an ApiError)", async () => {
    const api = createLazyApiClient({
      baseUrl: "http://localhost:3000/api/v1",
      getToken: () => Promise.resolve("token"),
      fetch: () => Promise.resolve(Response.json({ not: "a me" })),
    });
    const error: unknown = await api.getMe().catch((e: unknown) => e);
    expect(isApiError(error)).toBe(true);
  });

  it("is not a thenable, so awaiting or returning it from an async function is safe", async () => {
    const api = createLazyApiClient({ baseUrl: "/api/v1", getToken: () => Promise.resolve(null) });
    expect((api as unknown as { then?: unknown }).then).toBeUndefined();
    expect(await Promise.resolve(api)).toBe(api);
  });
});
