import { randomBytes } from "node:crypto";
import type http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The OAuth 2.0 pieces both fake mail providers share (RFC 6749 §4.1.3, §6): the token endpoint
 * with authorization_code and refresh_token grants (`invalid_grant` once consent is revoked), and
 * the small HTTP helpers the fake servers use.
 */
/** OAuth token endpoint shared by both fakes. */
export class FakeTokenEndpoint {
  readonly #codes = new Map<string, string>();
  readonly #refresh = new Set<string>();
  readonly #access = new Set<string>();
  /** Every grant_type seen, for assertions. */
  readonly grants: string[] = [];

  constructor(readonly clientId: string, readonly clientSecret: string) {}

  /** An authorization code as the provider's consent screen would hand back to the pane. */
  issueCode(): string {
    const code = `code-${randomBytes(8).toString("hex")}`;
    this.#codes.set(code, `refresh-${randomBytes(12).toString("hex")}`);
    return code;
  }

  revokeAll(): void {
    this.#refresh.clear();
    this.#access.clear();
  }

  validAccess(header: string | undefined): boolean {
    const token = header?.replace(/^Bearer /i, "");
    return token !== undefined && this.#access.has(token);
  }

  get refreshTokens(): string[] {
    return [...this.#refresh];
  }

  handle(form: URLSearchParams, res: http.ServerResponse): true {
    const fail = (error: string) => json(res, 400, { error, error_description: "fake token endpoint refused the grant" });
    if (form.get("client_id") !== this.clientId || form.get("client_secret") !== this.clientSecret) return json(res, 401, { error: "invalid_client" });
    const grant = form.get("grant_type") ?? "";
    this.grants.push(grant);
    let refresh: string | undefined;
    if (grant === "authorization_code") {
      refresh = this.#codes.get(form.get("code") ?? "");
      this.#codes.delete(form.get("code") ?? "");
      if (!refresh) return fail("invalid_grant");
      this.#refresh.add(refresh);
    } else if (grant === "refresh_token") {
      refresh = form.get("refresh_token") ?? "";
      if (!this.#refresh.has(refresh)) return fail("invalid_grant");
    } else return fail("unsupported_grant_type");
    const access = `access-${randomBytes(12).toString("hex")}`;
    this.#access.add(access);
    return json(res, 200, { token_type: "Bearer", expires_in: 3600, access_token: access, ...(grant === "authorization_code" ? { refresh_token: refresh } : {}) });
  }
}

/** Answers with JSON; returns true so route handlers can `return json(…)`. */
export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): true {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
  return true;
}

export async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

export async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Stops a test server at once: open keep-alive connections are closed rather than waited for. */
export async function close(server: http.Server | undefined): Promise<void> {
  if (!server) return;
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
    server.closeAllConnections();
  });
}
