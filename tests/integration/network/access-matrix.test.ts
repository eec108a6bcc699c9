import { randomUUID } from "node:crypto";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Cert } from "../../../shared/protocol/certs";
import { describeEachDatabase } from "../../support/databases";
import { NetworkWorld } from "../../support/network-world";
import { TestIssuer } from "../../support/test-issuer";
import { buildScenario, COPIES, CREATOR_SIDE, DOCUMENTS, LINKS_AND_QR, RECEIVER_SIDE, type Row, type Scenario } from "./access-fixtures";

/**
 * The access matrix of DESIGN §2: one fixed history (access-fixtures.ts), then one row per
 * (rule, person, cert, action) with the status the contract demands. Every 404 must also be
 * indistinguishable from the 404 of an id that does not exist.
 */
let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await TestIssuer.start("smartcert-access-matrix");
});
afterAll(async () => {
  await issuer.stop();
});

/** Actions that name a cert by id in the URL, so an unknown id must give the very same 404. */
const BY_CERT_ID = new Set<Row["action"]>(["view", "edit", "share", "publicLink", "copy", "activity", "documentList", "documentUrl", "qr"]);

describeEachDatabase("access matrix (DESIGN §2)", (current) => {
  let w: NetworkWorld;
  let s: Scenario;

  beforeAll(async () => {
    w = await NetworkWorld.create({ db: current().db, dataDir: current().dataDir, issuer });
    s = await buildScenario(w);
  });
  afterAll(async () => {
    await w.close();
  });

  const as = (row: Row) => (row.who === "anonymous" ? null : s.users[row.who]);
  const fetchUrl = (url: string) => {
    const u = new URL(url);
    return w.app.inject({ method: "GET", url: `${u.pathname}${u.search}` });
  };
  const issueUrl = async (row: Row, version?: number) => {
    const response = await w.request(as(row), "POST", `/api/v1/certs/${s.certs[row.cert]}/documents/${s.docA[row.cert].id}/url`, version ? { version } : {});
    expect(response.statusCode, `issuing a URL: ${response.body}`).toBe(200);
    return response.json<{ url: string; expiresAt: string }>().url;
  };

  /** Runs the row's action against `certId` (the row's cert, or an unknown id for the 404 twin). */
  async function perform(row: Row, certId: string, foreignDocumentId = s.docA.plate.id): Promise<LightMyRequestResponse> {
    const user = as(row);
    const base = `/api/v1/certs/${certId}`;
    switch (row.action) {
      case "view":
        return w.request(user, "GET", base);
      case "edit":
        return w.request(user, "PATCH", base, { standard: "EN 10204 3.1" });
      case "share":
        return w.request(user, "POST", `${base}/shares`, { locationId: s.locations.sink });
      case "publicLink":
        return w.request(user, "PUT", `${base}/public-link`, { enabled: s.linkOn[row.cert] });
      case "copy":
        return w.request(user, "POST", `${base}/copy`);
      case "activity":
        return w.request(user, "GET", `${base}/activity`);
      case "documentList":
        return w.request(user, "GET", `${base}/documents`);
      case "documentUrl":
        return w.request(user, "POST", `${base}/documents/${s.docA[row.cert].id}/url`, {});
      case "foreignDocumentUrl":
        return w.request(user, "POST", `${base}/documents/${foreignDocumentId}/url`, {});
      case "qr":
        return w.request(user, "GET", `${base}/qr`);
      case "acceptLink":
        return w.request(user, "POST", "/api/v1/public-links/accept", { token: s.tokens[row.cert] });
      case "preview":
        return w.app.inject({ method: "GET", url: `/p/${s.tokens[row.cert] ?? "no-token-was-ever-issued"}` });
      case "download":
        return fetchUrl(await issueUrl(row));
      case "downloadV1":
        return fetchUrl(await issueUrl(row, 1));
      case "tamperDocument":
        return fetchUrl((await issueUrl(row, 1)).replace(`/documents/${s.docA[row.cert].id}/`, `/documents/${s.plateDocB}/`));
      case "tamperVersion":
        return fetchUrl((await issueUrl(row, 1)).replace("/versions/1/", "/versions/2/"));
      case "tamperExpiry":
        return fetchUrl((await issueUrl(row, 1)).replace(/expires=(\d+)/, (_m, e: string) => `expires=${Number(e) + 3600}`));
      case "unsigned":
        return fetchUrl((await issueUrl(row, 1)).replace(/sig=[^&]*/, "sig="));
      case "list":
        throw new Error("list rows are checked by listed()");
    }
  }

  async function listed(row: Row): Promise<string> {
    const ids = async (scope: string) => {
      const response = await w.request(as(row), "GET", `/api/v1/certs?scope=${scope}&limit=100`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json<{ items: Cert[] }>().items.map((c) => c.id);
    };
    const id = s.certs[row.cert];
    const [all, owned, received] = [(await ids("all")).includes(id), (await ids("owned")).includes(id), (await ids("received")).includes(id)];
    // "owned" and "received" partition "all".
    expect(all).toBe(owned || received);
    expect(owned && received).toBe(false);
    return owned ? "owned" : received ? "received" : "none";
  }

  function checkBody(row: Row, response: LightMyRequestResponse): void {
    const versions = s.docA[row.cert].versions;
    if (row.action === "download") expect(response.body).toBe(versions[versions.length - 1]);
    if (row.action === "downloadV1") expect(response.body).toBe(versions[0]);
    if (row.action === "documentList" && row.documents !== undefined) expect(response.json<{ items: unknown[] }>().items).toHaveLength(row.documents);
    if (row.action === "copy") {
      const copy = response.json<Cert>();
      expect(copy.copiedFrom).toBe(s.certs[row.cert]);
      expect(copy.access.side).toBe("owner");
      expect([...copy.ownerLocationIds].sort()).toEqual(s.memberships[row.who as keyof Scenario["memberships"]].map((l) => s.locations[l]).sort());
    }
    if (row.action === "view") {
      const cert = response.json<Cert>();
      if (row.access) {
        expect(cert.access).toEqual(row.access);
        // The public link is the creator side's alone.
        if (row.access.side === "receiver") expect(cert.publicLink).toBeNull();
        else expect(cert.publicLink?.enabled).toBe(s.linkOn[row.cert]);
      }
      if (row.title !== undefined) expect(cert.title).toBe(row.title);
      if (row.copiedFrom !== undefined) expect(cert.copiedFrom).toBe(s.certs[row.copiedFrom]);
      if (row.ownerLocations) expect([...cert.ownerLocationIds].sort()).toEqual(row.ownerLocations.map((l) => s.locations[l]).sort());
    }
  }

  async function check(row: Row): Promise<void> {
    if (row.action === "list") {
      expect(await listed(row)).toBe(row.expected);
      return;
    }
    const response = await perform(row, s.certs[row.cert]);
    expect(response.statusCode, response.body).toBe(row.expected);
    if (response.statusCode < 300) checkBody(row, response);
    if (response.statusCode === 404 && BY_CERT_ID.has(row.action)) {
      // No access looks exactly like no cert: same status, same body.
      const unknown = await perform(row, randomUUID());
      expect(unknown.statusCode).toBe(404);
      expect(response.json()).toEqual(unknown.json());
    }
    if (row.action === "foreignDocumentUrl") {
      // Another cert's document looks exactly like a document that does not exist.
      const unknown = await perform(row, s.certs[row.cert], randomUUID());
      expect(unknown.statusCode).toBe(404);
      expect(response.json()).toEqual(unknown.json());
    }
  }

  const tables: [string, Row[]][] = [
    ["creator side", CREATOR_SIDE],
    ["receiver side and private link", RECEIVER_SIDE],
    ["public link and QR code", LINKS_AND_QR],
    ["documents and signed URLs", DOCUMENTS],
    ["copies", COPIES],
  ];
  for (const [title, rows] of tables) {
    describe(title, () => {
      it.each(rows.map((row) => [row.name, row] as const))("%s", async (_name, row) => {
        await check(row);
      });
    });
  }
});
