import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, afterEach, beforeAll, expect, it, vi } from "vitest";
import { DocumentRepository, VersionConflictError } from "../../../backend/documents/document-repository";
import type { Cert } from "../../../shared/protocol/certs";
import type { DocumentDto } from "../../../shared/protocol/documents";
import { PROBLEM_CONTENT_TYPE, problemTypes } from "../../../shared/protocol/problem";
import { describeEachDatabase } from "../../support/databases";
import { multipart, waitUntilNoConnections, walkFiles as walk } from "../../support/document-files";
import { NetworkWorld, type WorldUser } from "../../support/network-world";
import { bearer } from "../../support/test-app";
import { TestIssuer } from "../../support/test-issuer";

/**
 * Documents end to end through HTTP: upload and versions, signed download URLs (headers, tampering,
 * expiry), upload limits and file names, encryption at rest, copy into another organization, and
 * the blob store staying in step with the database when an insert fails or uploads race.
 */
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const BLOB_PATH = new RegExp(`^${UUID}/${UUID}/[1-9][0-9]*\\.blob$`);
const DAY_MS = 24 * 60 * 60 * 1000;

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await TestIssuer.start("smartcert-documents");
});
afterAll(async () => {
  await issuer.stop();
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describeEachDatabase("documents API", (current) => {
  let w: NetworkWorld;
  let small: NetworkWorld;
  let mill: { org: string; north: string };
  let buyer: { org: string; yard: string };
  let writer: WorldUser, reader: WorldUser, buyerWriter: WorldUser, buyerReader: WorldUser, outsider: WorldUser;
  const blobsDir = () => path.join(current().dataDir, "blobs");

  beforeAll(async () => {
    w = await NetworkWorld.create({ db: current().db, dataDir: current().dataDir, issuer });
    // A second app on the same database and DATA_DIR with a 0.05 MB (52,428-byte) upload limit.
    small = await NetworkWorld.create({ db: current().db, dataDir: current().dataDir, issuer, env: { MAX_UPLOAD_MB: "0.05" } });
    const millOrg = await w.org("Mill");
    mill = { org: millOrg, north: await w.location(millOrg, "North Works") };
    const buyerOrg = await w.org("Buyer");
    buyer = { org: buyerOrg, yard: await w.location(buyerOrg, "Receiving Yard") };
    writer = await w.user(mill.org, ["writer"], [mill.north], "Walt");
    reader = await w.user(mill.org, [], [mill.north], "Rita");
    buyerWriter = await w.user(buyer.org, ["writer"], [buyer.yard], "Bea");
    buyerReader = await w.user(buyer.org, [], [buyer.yard], "Ray");
    const otherOrg = await w.org("Other");
    outsider = await w.user(otherOrg, ["writer"], [await w.location(otherOrg)], "Olga");
  });
  afterAll(async () => {
    await small.close();
    await w.close();
    const { databaseUrl, db } = current();
    if (databaseUrl) {
      // The racing uploads leave several pooled connections; close them fully before the suite
      // drops the database (see waitUntilNoConnections).
      await db.destroy();
      await waitUntilNoConnections(databaseUrl);
    }
  });

  const createCert = async (title: string): Promise<string> => {
    const response = await w.request(writer, "POST", "/api/v1/certs", { title });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Cert>().id;
  };
  const upload = (as: WorldUser, certId: string, content: Uint8Array, fileName: string, documentId?: string, world = w): Promise<LightMyRequestResponse> => {
    const body = multipart(content, fileName);
    const query = documentId ? `?documentId=${documentId}` : "";
    return world.app.inject({ method: "POST", url: `/api/v1/certs/${certId}/documents${query}`, headers: { ...bearer(as.token), "content-type": body.contentType }, payload: body.payload });
  };
  const uploaded = async (certId: string, content: Uint8Array, fileName: string, documentId?: string) => {
    const response = await upload(writer, certId, content, fileName, documentId);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ documentId: string; version: number; sha256: string; size: number }>();
  };
  const list = async (as: WorldUser, certId: string) => {
    const response = await w.request(as, "GET", `/api/v1/certs/${certId}/documents`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: DocumentDto[] }>().items;
  };
  /** A signed URL as path + query (the host is PUBLIC_URL's). */
  const signedUrl = async (as: WorldUser, certId: string, documentId: string, version?: number) => {
    const response = await w.request(as, "POST", `/api/v1/certs/${certId}/documents/${documentId}/url`, version === undefined ? {} : { version });
    expect(response.statusCode, response.body).toBe(200);
    const { url, expiresAt } = response.json<{ url: string; expiresAt: string }>();
    const parsed = new URL(url);
    return { path: `${parsed.pathname}${parsed.search}`, parsed, expiresAt };
  };
  // Deliberately no headers at all: the signature is the only authorization.
  const download = (pathAndQuery: string) => w.app.inject({ method: "GET", url: pathAndQuery });
  const shareToBuyer = async (certId: string) => {
    const response = await w.request(writer, "POST", `/api/v1/certs/${certId}/shares`, { locationId: buyer.yard });
    expect(response.statusCode, response.body).toBe(201);
  };

  it("uploads a document, lists it, and adds a second version with ?documentId=", async () => {
    const certId = await createCert("Versioned");
    const v1 = randomBytes(150_000);
    const v2 = randomBytes(70_001);
    const first = await uploaded(certId, v1, "mill-cert.pdf");
    expect(first).toEqual({ documentId: expect.stringMatching(new RegExp(`^${UUID}$`)) as unknown, version: 1, sha256: sha256(v1), size: v1.length });
    expect(await list(writer, certId)).toMatchObject([{ id: first.documentId, certId, latestVersion: 1, versions: [{ version: 1, fileName: "mill-cert.pdf", contentType: "application/pdf", size: v1.length, sha256: sha256(v1) }] }]);

    const second = await uploaded(certId, v2, "mill-cert rev B.pdf", first.documentId);
    expect(second).toEqual({ documentId: first.documentId, version: 2, sha256: sha256(v2), size: v2.length });
    const [document, ...others] = await list(reader, certId);
    expect(others).toEqual([]);
    expect(document).toMatchObject({ id: first.documentId, latestVersion: 2 });
    expect(document?.versions.map((v) => ({ version: v.version, fileName: v.fileName, size: v.size, sha256: v.sha256 }))).toEqual([
      { version: 1, fileName: "mill-cert.pdf", size: v1.length, sha256: sha256(v1) },
      { version: 2, fileName: "mill-cert rev B.pdf", size: v2.length, sha256: sha256(v2) },
    ]);

    // Without Writer, as a receiver, or for a document of another cert: nothing is added.
    expect((await upload(reader, certId, v2, "x.pdf", first.documentId)).statusCode).toBe(403);
    await shareToBuyer(certId);
    expect((await upload(buyerWriter, certId, v2, "x.pdf", first.documentId)).statusCode).toBe(403);
    expect((await upload(outsider, certId, v2, "x.pdf")).statusCode).toBe(404);
    const otherCert = await createCert("Other");
    expect((await upload(writer, otherCert, v2, "x.pdf", first.documentId)).statusCode).toBe(404);
    expect((await list(writer, certId))[0]?.latestVersion).toBe(2);
    expect(await list(writer, otherCert)).toEqual([]);
  });

  it("serves exactly the requested version's bytes through a signed URL, without a bearer", async () => {
    const certId = await createCert("Download");
    const v1 = randomBytes(200_000);
    const v2 = randomBytes(65_536 * 2);
    const { documentId } = await uploaded(certId, v1, "report.pdf");
    const urlV1 = await signedUrl(writer, certId, documentId);
    await uploaded(certId, v2, "report-v2.pdf", documentId);

    const first = await download(urlV1.path);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.rawPayload.equals(v1)).toBe(true);
    expect(first.headers["content-disposition"]).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
    expect(first.headers["x-content-type-options"]).toBe("nosniff");
    expect(first.headers["content-security-policy"]).toMatch(/(^|;)\s*sandbox\s*(;|$)/);
    expect(first.headers["cache-control"]).toBe("no-store");
    expect(first.headers["content-type"]).toBe("application/pdf");

    const latest = await signedUrl(reader, certId, documentId);
    expect(latest.path).toContain(`/api/v1/documents/${documentId}/versions/2/content?`);
    const second = await download(latest.path);
    expect(second.statusCode).toBe(200);
    expect(second.rawPayload.equals(v2)).toBe(true);
    expect(second.headers["content-disposition"]).toContain(`filename="report-v2.pdf"`);
    expect((await download((await signedUrl(writer, certId, documentId, 1)).path)).rawPayload.equals(v1)).toBe(true);

    // The 24-hour expiry is stated in the response and in the URL.
    expect(Date.parse(urlV1.expiresAt) - Date.now()).toBeGreaterThan(DAY_MS - 60_000);
    expect(Number(urlV1.parsed.searchParams.get("expires")) * 1000).toBe(Date.parse(urlV1.expiresAt));
    const missing = await w.request(writer, "POST", `/api/v1/certs/${certId}/documents/${documentId}/url`, { version: 3 });
    expect(missing.statusCode).toBe(404);
  });

  it("answers 403 to a tampered URL and 410 once it has expired", async () => {
    const certId = await createCert("Tamper");
    const a = await uploaded(certId, randomBytes(1000), "a.pdf");
    await uploaded(certId, randomBytes(1000), "a2.pdf", a.documentId);
    const b = await uploaded(certId, randomBytes(1000), "b.pdf");
    const { parsed } = await signedUrl(writer, certId, a.documentId, 1);
    const expires = Number(parsed.searchParams.get("expires"));
    const sig = parsed.searchParams.get("sig") ?? "";
    const url = (documentId: string, version: number, e: number | string, s: string) => `/api/v1/documents/${documentId}/versions/${version}/content?expires=${e}&sig=${s}`;
    expect((await download(url(a.documentId, 1, expires, sig))).statusCode).toBe(200);

    const flipped = `${sig.slice(0, 5)}${sig[5] === "A" ? "B" : "A"}${sig.slice(6)}`;
    for (const tampered of [
      url(a.documentId, 1, expires, flipped),
      url(a.documentId, 1, expires, sig.slice(0, -1)),
      url(a.documentId, 1, expires, ""),
      url(a.documentId, 2, expires, sig),
      url(b.documentId, 1, expires, sig),
      url(a.documentId, 1, expires + 1, sig),
      url(a.documentId, 1, expires + DAY_MS / 1000, sig),
    ]) {
      const response = await download(tampered);
      expect(response.statusCode, tampered).toBe(403);
      expect(response.headers["content-type"]).toContain(PROBLEM_CONTENT_TYPE);
      expect(response.rawPayload.length).toBeLessThan(1000);
    }

    // The app's clock (Date) moves; the URL stays valid up to its expiry second, then 410.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(expires * 1000);
    expect((await download(url(a.documentId, 1, expires, sig))).statusCode).toBe(200);
    vi.setSystemTime(expires * 1000 + 1000);
    const expired = await download(url(a.documentId, 1, expires, sig));
    expect(expired.statusCode).toBe(410);
    expect(expired.json()).toMatchObject({ type: problemTypes.expired, status: 410 });
    // A tampered URL stays 403 after expiry: the signature is checked first.
    expect((await download(url(a.documentId, 1, expires, flipped))).statusCode).toBe(403);
  });

  it("gives receivers URLs and non-viewers 404", async () => {
    const certId = await createCert("Shared docs");
    const content = randomBytes(4096);
    const { documentId } = await uploaded(certId, content, "shared.pdf");
    const foreign = await w.request(buyerReader, "POST", `/api/v1/certs/${certId}/documents/${documentId}/url`, {});
    expect(foreign.statusCode).toBe(404);
    expect((await w.request(buyerReader, "GET", `/api/v1/certs/${certId}/documents`)).statusCode).toBe(404);

    await shareToBuyer(certId);
    expect((await list(buyerReader, certId)).map((d) => d.id)).toEqual([documentId]);
    const { path: receiverUrl } = await signedUrl(buyerReader, certId, documentId);
    expect((await download(receiverUrl)).rawPayload.equals(content)).toBe(true);

    expect((await w.request(outsider, "POST", `/api/v1/certs/${certId}/documents/${documentId}/url`, {})).statusCode).toBe(404);
    expect((await w.request(outsider, "GET", `/api/v1/certs/${certId}/documents`)).statusCode).toBe(404);
    expect((await w.request(null, "POST", `/api/v1/certs/${certId}/documents/${documentId}/url`, {})).statusCode).toBe(401);
    // A document id paired with a cert it does not belong to is not found either.
    const otherCert = await createCert("Unrelated");
    expect((await w.request(writer, "POST", `/api/v1/certs/${otherCert}/documents/${documentId}/url`, {})).statusCode).toBe(404);
  });

  it("refuses files over MAX_UPLOAD_MB with 413 problem+json and stores nothing", async () => {
    const certId = await createCert("Limits");
    const limit = Math.floor(0.05 * 1024 * 1024);
    const atLimit = await upload(writer, certId, randomBytes(limit), "exact.pdf", undefined, small);
    expect(atLimit.statusCode, atLimit.body).toBe(201);
    const { documentId } = atLimit.json<{ documentId: string }>();
    const before = walk(blobsDir());

    for (const [size, target] of [[limit + 1, documentId], [200 * 1024, documentId], [limit + 1, undefined], [2 * 1024 * 1024, undefined]] as const) {
      const response = await upload(writer, certId, randomBytes(size), "big.pdf", target, small);
      expect(response.statusCode, `${size} bytes`).toBe(413);
      expect(response.headers["content-type"]).toContain(PROBLEM_CONTENT_TYPE);
      expect(response.json()).toMatchObject({ type: problemTypes.payloadTooLarge, status: 413, detail: "Files can be at most 0.05 MB." });
    }
    expect(walk(blobsDir())).toEqual(before);
    expect(await list(writer, certId)).toMatchObject([{ id: documentId, latestVersion: 1, versions: [{ version: 1, size: limit }] }]);
    expect(await current().db.selectFrom("document_versions").select("version").where("document_id", "=", documentId).execute()).toEqual([{ version: 1 }]);

    // The JSON body limit (BODY_LIMIT_BYTES, 1 MiB) does not cap files: MAX_UPLOAD_MB (50) does.
    const large = randomBytes(1536 * 1024);
    expect(await uploaded(certId, large, "large.pdf")).toMatchObject({ size: large.length, sha256: sha256(large) });
  });

  it("stores hostile file names sanitized and never uses them in storage paths", async () => {
    const certId = await createCert("Names");
    const cases: [raw: string, stored: string][] = [
      ["../../etc/passwd", "passwd"],
      ["..\\..\\windows\\win.ini", "win.ini"],
      ["invoice\u202Efdp.exe", "invoicefdp.exe"],
      ["\u2067evil\u2069\u200F\u061C.pdf", "evil.pdf"],
      ["bell\u0007\u0001\u001B[31m.pdf", "bell[31m.pdf"],
      ["c1\u0085\u009B.pdf", "c1.pdf"],
      ["...hidden", "hidden"],
    ];
    for (const [raw, stored] of cases) {
      const content = randomBytes(100);
      const { documentId } = await uploaded(certId, content, raw);
      const [version] = (await list(writer, certId)).find((d) => d.id === documentId)?.versions ?? [];
      expect(version?.fileName, JSON.stringify(raw)).toBe(stored);
      const served = await download((await signedUrl(writer, certId, documentId)).path);
      expect(served.rawPayload.equals(content)).toBe(true);
      expect(served.headers["content-disposition"]).toBe(`attachment; filename="${stored}"; filename*=UTF-8''${encodeURIComponent(stored)}`);
    }
    const files = walk(blobsDir());
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(file).toMatch(BLOB_PATH);
    for (const name of ["passwd", "win.ini", "invoice", "evil", "bell", "hidden"]) expect(walk(current().dataDir).some((f) => f.includes(name))).toBe(false);
  });

  it("never writes a document's plaintext anywhere under DATA_DIR", async () => {
    const canary = `CANARY-${randomBytes(16).toString("hex")}`;
    const text = Buffer.from(`${canary} steel plate heat 8H1234\n`.repeat(Math.ceil((200 * 1024) / (canary.length + 25))).slice(0, 200 * 1024), "utf8");
    const certId = await createCert("Secret");
    const { documentId } = await uploaded(certId, text, "secret.txt");
    await uploaded(certId, text.subarray(0, 64 * 1024), "secret-v2.txt", documentId);
    // Positive control: the canary is really in what the server gives back.
    const served = await download((await signedUrl(writer, certId, documentId, 1)).path);
    expect(served.rawPayload.includes(canary)).toBe(true);

    const needle = Buffer.from(canary, "utf8");
    const files = walk(current().dataDir);
    if (current().dialect === "sqlite") expect(files).toContain("smartcert.sqlite");
    expect(files.filter((f) => f.startsWith("blobs/")).length).toBeGreaterThan(1);
    for (const file of files) {
      expect(fs.readFileSync(path.join(current().dataDir, file)).includes(needle), file).toBe(false);
    }
    expect(w.t.logs.join("").includes(canary)).toBe(false);
  });

  it("copies documents into the copier's organization when a receiver copies the cert", async () => {
    const certId = await createCert("To copy");
    const v1 = randomBytes(90_000);
    const v2 = randomBytes(10);
    const { documentId } = await uploaded(certId, v1, "copy-me.pdf");
    await uploaded(certId, v2, "copy-me-2.pdf", documentId);
    await shareToBuyer(certId);

    const copied = await w.request(buyerWriter, "POST", `/api/v1/certs/${certId}/copy`);
    expect(copied.statusCode, copied.body).toBe(201);
    const copyId = copied.json<Cert>().id;
    const [copy, ...more] = await list(buyerWriter, copyId);
    expect(more).toEqual([]);
    if (!copy) throw new Error("the copy has no document");
    expect(copy.id).not.toBe(documentId);
    expect(copy.versions.map((v) => [v.version, v.fileName, v.size, v.sha256])).toEqual([
      [1, "copy-me.pdf", v1.length, sha256(v1)],
      [2, "copy-me-2.pdf", v2.length, sha256(v2)],
    ]);
    expect((await download((await signedUrl(buyerWriter, copyId, copy.id, 1)).path)).rawPayload.equals(v1)).toBe(true);
    expect((await download((await signedUrl(buyerReader, copyId, copy.id, 2)).path)).rawPayload.equals(v2)).toBe(true);
    // The original's owners see nothing of the copy.
    expect((await w.request(writer, "GET", `/api/v1/certs/${copyId}/documents`)).statusCode).toBe(404);

    const files = walk(blobsDir());
    expect(files.filter((f) => f.includes(copy.id)).sort()).toEqual([`${buyer.org}/${copy.id}/1.blob`, `${buyer.org}/${copy.id}/2.blob`]);
    expect(files.filter((f) => f.includes(documentId)).sort()).toEqual([`${mill.org}/${documentId}/1.blob`, `${mill.org}/${documentId}/2.blob`]);
    // Re-encrypted under the copier's key, not a byte copy.
    const original = fs.readFileSync(path.join(blobsDir(), mill.org, documentId, "1.blob"));
    expect(fs.readFileSync(path.join(blobsDir(), buyer.org, copy.id, "1.blob")).equals(original)).toBe(false);
  });

  it("removes the blob again when the database insert fails, so no version is half-stored", async () => {
    const certId = await createCert("Crash");
    const v1 = randomBytes(5000);
    const { documentId } = await uploaded(certId, v1, "crash.pdf");
    const docDir = path.join(blobsDir(), mill.org, documentId);

    const addVersion = vi.spyOn(DocumentRepository.prototype, "addVersion").mockRejectedValueOnce(new Error("database connection lost"));
    const failed = await upload(writer, certId, randomBytes(5000), "crash-2.pdf", documentId);
    expect(failed.statusCode).toBe(500);
    expect(failed.json()).toMatchObject({ type: problemTypes.internal });
    expect(fs.readdirSync(docDir)).toEqual(["1.blob"]);

    addVersion.mockRejectedValueOnce(new VersionConflictError());
    const conflict = await upload(writer, certId, randomBytes(5000), "crash-2.pdf", documentId);
    expect(conflict.statusCode).toBe(409);
    expect(fs.readdirSync(docDir)).toEqual(["1.blob"]);

    // A brand-new document: neither a row nor a blob (nor its directory's contents) remains.
    const before = walk(blobsDir());
    addVersion.mockRejectedValueOnce(new Error("disk full"));
    expect((await upload(writer, certId, randomBytes(5000), "new.pdf")).statusCode).toBe(500);
    expect(walk(blobsDir())).toEqual(before);
    expect((await list(writer, certId)).map((d) => [d.id, d.latestVersion])).toEqual([[documentId, 1]]);

    // Nothing was left behind that would block the next upload of version 2.
    const v2 = randomBytes(6000);
    expect(await uploaded(certId, v2, "crash-2.pdf", documentId)).toMatchObject({ version: 2, sha256: sha256(v2) });
    expect(fs.readdirSync(docDir).sort()).toEqual(["1.blob", "2.blob"]);

    // An upload that read the document just before another request advanced it aims at version 2
    // again: it is refused, and the winner's blob stays exactly as it was.
    const fresh = await new DocumentRepository(current().db).get(documentId);
    if (!fresh) throw new Error("document vanished");
    vi.spyOn(DocumentRepository.prototype, "get").mockResolvedValueOnce({ ...fresh, latestVersion: 1, versions: fresh.versions.slice(0, 1) });
    const stale = await upload(writer, certId, randomBytes(6000), "stale.pdf", documentId);
    expect(stale.statusCode).toBe(409);
    expect(fs.readdirSync(docDir).sort()).toEqual(["1.blob", "2.blob"]);
    expect((await download((await signedUrl(writer, certId, documentId, 2)).path)).rawPayload.equals(v2)).toBe(true);
    expect((await list(writer, certId))[0]?.versions.map((v) => v.fileName)).toEqual(["crash.pdf", "crash-2.pdf"]);
  });

  it("keeps blobs and rows in step when uploads of the next version race", async () => {
    const certId = await createCert("Race");
    const { documentId } = await uploaded(certId, randomBytes(1000), "race.pdf");
    const contents = Array.from({ length: 6 }, () => randomBytes(100_000));
    const responses = await Promise.all(contents.map((content) => upload(writer, certId, content, "race.pdf", documentId)));

    const statuses = responses.map((r) => r.statusCode);
    for (const status of statuses) expect([201, 409]).toContain(status);
    expect(statuses).toContain(201);
    for (const loser of responses.filter((r) => r.statusCode === 409)) expect(loser.json()).toMatchObject({ type: problemTypes.conflict });

    const [document] = await list(writer, certId);
    const winners = responses.flatMap((r, i) => (r.statusCode === 201 ? [{ ...r.json<{ version: number }>(), content: contents[i] ?? Buffer.alloc(0) }] : []));
    expect(document?.versions.map((v) => v.version)).toEqual(Array.from({ length: winners.length + 1 }, (_, i) => i + 1));
    expect(fs.readdirSync(path.join(blobsDir(), mill.org, documentId)).sort()).toEqual(document?.versions.map((v) => `${v.version}.blob`).sort());
    // Each winner's version serves that winner's bytes: no loser overwrote or deleted a winner's blob.
    for (const winner of winners) {
      expect(document?.versions.find((v) => v.version === winner.version)?.sha256).toBe(sha256(winner.content));
      expect((await download((await signedUrl(writer, certId, documentId, winner.version)).path)).rawPayload.equals(winner.content)).toBe(true);
    }
  });
});
