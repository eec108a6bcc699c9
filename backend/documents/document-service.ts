import type { Readable } from "node:stream";
import { problemTypes } from "../../shared/protocol/problem";
import type { AuditRepository } from "../certs/audit-repository";
import type { CertService } from "../certs/cert-service";
import { ProblemError, problems } from "../http/problem";
import type { KeyRing } from "../keys/key-ring";
import type { Principal } from "../orgs/model";
import { BlobExistsError, BlobTooLargeError, type BlobStore } from "../storage/blob-store";
import { VersionConflictError, type DocumentRecord, type DocumentRepository } from "./document-repository";

/** A signed document URL binds document, version and expiry (docs/KEYS.md §3). */
const DOCUMENT_URL_PURPOSE = "document-url";
function signedValue(documentId: string, version: number, expires: number): string {
  return `${documentId}:${version}:${expires}`;
}

/**
 * Documents of certs: encrypted uploads with versions, listing, signed 24-hour download URLs and
 * the copy of a cert's documents into another organization. Access goes through CertService.view.
 */
export const DOCUMENT_URL_TTL_SECONDS = 24 * 60 * 60;
const ORPHAN_AGE_MS = 60_000;

export interface DocumentServiceDeps {
  certs: CertService;
  documents: DocumentRepository;
  blobs: BlobStore;
  audit: AuditRepository;
  keys: KeyRing;
  publicUrl: string;
  maxUploadBytes: number;
  now?: () => Date;
}

/** MAX_UPLOAD_MB may be fractional ("0.5", "2.5"): rounding down would state a smaller limit. */
function formatMegabytes(bytes: number): string {
  return String(Math.round((bytes / (1024 * 1024)) * 100) / 100);
}

function versionConflict(): ProblemError {
  return problems.conflict("Another version of this document was added at the same time", "Reload the document list and upload again.");
}

export interface IncomingFile {
  stream: Readable;
  fileName: string;
  contentType: string;
}

export class DocumentService {
  private readonly now: () => Date;

  constructor(private readonly deps: DocumentServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async upload(user: Principal, certId: string, file: IncomingFile, documentId: string | undefined): Promise<{ documentId: string; version: number; sha256: string; size: number }> {
    const { cert, access } = await this.deps.certs.view(user, certId);
    if (!access.canEdit) throw problems.forbidden(access.side === "receiver" ? "Received certs are read-only." : "Adding documents needs the Writer privilege.");
    let target: { id: string; version: number; orgId: string };
    if (documentId) {
      const existing = await this.deps.documents.get(documentId);
      if (!existing || existing.certId !== certId) throw problems.notFound("The document");
      target = { id: existing.id, version: existing.latestVersion + 1, orgId: existing.orgId };
    } else {
      target = { id: this.deps.documents.newDocumentId(), version: 1, orgId: cert.ownerOrgId };
    }
    const key = { orgId: target.orgId, documentId: target.id, version: target.version };
    let written;
    try {
      written = await this.putBlob(key, file.stream);
    } catch (error) {
      if (error instanceof BlobTooLargeError) {
        throw new ProblemError(413, problemTypes.payloadTooLarge, "The file is too large", `Files can be at most ${formatMegabytes(this.deps.maxUploadBytes)} MB.`);
      }
      // Another upload is writing the same version right now; blobs are never replaced.
      if (error instanceof BlobExistsError) throw versionConflict();
      throw error;
    }
    try {
      await this.deps.documents.addVersion({ id: target.id, certId, orgId: target.orgId }, target.version, { ...written, fileName: file.fileName, contentType: file.contentType, createdBy: user.id });
    } catch (error) {
      // The row never appeared, so the blob must not outlive it.
      await this.deps.blobs.delete(key);
      if (error instanceof VersionConflictError) throw versionConflict();
      throw error;
    }
    await this.deps.audit.record(certId, user.id, "document-added", { documentId: target.id, version: target.version, fileName: file.fileName });
    return { documentId: target.id, version: target.version, ...written };
  }

  /**
   * A crash between writing a blob and recording its row leaves an orphan that would block that
   * version number forever. A blob is published only when fully written and its row follows within
   * milliseconds, so a published blob that has had no row for ORPHAN_AGE_MS is an orphan: it is
   * removed and the put tried once more. Known limit: two uploads racing on the same orphan could
   * both decide to remove it; orphans only exist after a crash, so this needs a crash and a race.
   */
  private async putBlob(key: { orgId: string; documentId: string; version: number }, stream: Readable) {
    try {
      return await this.deps.blobs.put(key, stream, { maxBytes: this.deps.maxUploadBytes });
    } catch (error) {
      // Retry only when the store refused before reading: a consumed stream would store nothing.
      if (!(error instanceof BlobExistsError) || stream.readableDidRead || !(await this.removeOrphan(key))) throw error;
      return this.deps.blobs.put(key, stream, { maxBytes: this.deps.maxUploadBytes });
    }
  }

  private async removeOrphan(key: { orgId: string; documentId: string; version: number }): Promise<boolean> {
    const publishedAt = await this.deps.blobs.publishedAt(key);
    if (!publishedAt || this.now().getTime() - publishedAt.getTime() < ORPHAN_AGE_MS) return false;
    const document = await this.deps.documents.get(key.documentId);
    if (document?.versions.some((v) => v.version === key.version)) return false;
    await this.deps.blobs.delete(key);
    return true;
  }

  async list(user: Principal, certId: string): Promise<DocumentRecord[]> {
    await this.deps.certs.view(user, certId);
    return this.deps.documents.listForCert(certId);
  }

  async issueUrl(user: Principal, certId: string, documentId: string, version: number | undefined): Promise<{ url: string; expiresAt: string }> {
    const { access } = await this.deps.certs.view(user, certId);
    if (!access.canGetDocumentUrl) throw problems.forbidden();
    const document = await this.deps.documents.get(documentId);
    if (!document || document.certId !== certId) throw problems.notFound("The document");
    const chosen = version ?? document.latestVersion;
    if (!document.versions.some((v) => v.version === chosen)) throw problems.notFound("The document version");
    const expires = Math.floor(this.now().getTime() / 1000) + DOCUMENT_URL_TTL_SECONDS;
    const sig = this.signature(documentId, chosen, expires);
    await this.deps.audit.record(certId, user.id, "document-url-issued", { documentId, version: chosen });
    return {
      url: `${this.deps.publicUrl}/api/v1/documents/${documentId}/versions/${chosen}/content?expires=${expires}&sig=${sig}`,
      expiresAt: new Date(expires * 1000).toISOString(),
    };
  }

  /** Serves a signed URL: the signature binds document, version and expiry. No bearer token. */
  async openSigned(documentId: string, version: number, expires: number, sig: string): Promise<{ stream: Readable; fileName: string; contentType: string; size: number }> {
    if (!this.deps.keys.verifyGlobalHmac(DOCUMENT_URL_PURPOSE, signedValue(documentId, version, expires), sig, "base64url")) {
      throw problems.forbidden("The link is not valid. Open the document again from the cert to get a fresh link.");
    }
    if (expires * 1000 < this.now().getTime()) {
      throw new ProblemError(410, problemTypes.expired, "The link has expired", "Links to documents are valid for 24 hours. Open the document again from the cert.");
    }
    const document = await this.deps.documents.get(documentId);
    const meta = document?.versions.find((v) => v.version === version);
    if (!document || !meta) throw problems.notFound("The document");
    const stream = await this.deps.blobs.open({ orgId: document.orgId, documentId, version });
    return { stream, fileName: meta.fileName, contentType: meta.contentType, size: meta.size };
  }

  /** Re-encrypts every version of the source cert's documents under the target organization. */
  async copyDocuments(from: { certId: string }, to: { certId: string; orgId: string }, actorUserId: string): Promise<number> {
    const sources = await this.deps.documents.listForCert(from.certId);
    for (const source of sources) {
      const copyId = this.deps.documents.newDocumentId();
      for (const v of source.versions) {
        const plaintext = await this.deps.blobs.open({ orgId: source.orgId, documentId: source.id, version: v.version });
        const key = { orgId: to.orgId, documentId: copyId, version: v.version };
        const written = await this.deps.blobs.put(key, plaintext, { maxBytes: Number.MAX_SAFE_INTEGER });
        try {
          await this.deps.documents.addVersion({ id: copyId, certId: to.certId, orgId: to.orgId }, v.version, { ...written, fileName: v.fileName, contentType: v.contentType, createdBy: actorUserId });
        } catch (error) {
          await this.deps.blobs.delete(key);
          throw error;
        }
      }
    }
    return sources.length;
  }

  private signature(documentId: string, version: number, expires: number): string {
    return this.deps.keys.globalHmac(DOCUMENT_URL_PURPOSE, signedValue(documentId, version, expires), "base64url");
  }
}
