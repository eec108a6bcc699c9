import { randomUUID } from "node:crypto";
import type { Database } from "../db/database";
import { isoString } from "../certs/cert-repository";

/** All SQL of documents and their versions. Versions are only ever added. */
export interface DocumentVersionRecord {
  version: number;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  createdAt: string;
}

export interface DocumentRecord {
  id: string;
  certId: string;
  orgId: string;
  latestVersion: number;
  versions: DocumentVersionRecord[];
}

export interface NewVersion {
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  createdBy: string;
}

export class VersionConflictError extends Error {
  constructor() {
    super("another version was added at the same time");
  }
}

export class DocumentRepository {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  newDocumentId(): string {
    return randomUUID();
  }

  async listForCert(certId: string): Promise<DocumentRecord[]> {
    const documents = await this.db.selectFrom("documents").select(["id", "cert_id", "org_id", "latest_version"]).where("cert_id", "=", certId).orderBy("created_at").orderBy("id").execute();
    return this.withVersions(documents);
  }

  async get(documentId: string): Promise<DocumentRecord | undefined> {
    const documents = await this.db.selectFrom("documents").select(["id", "cert_id", "org_id", "latest_version"]).where("id", "=", documentId).execute();
    return (await this.withVersions(documents))[0];
  }

  /**
   * Records a version whose blob is already durably written. For version 1 the document row is
   * created too. Fails with VersionConflictError when `version` is no longer the next one.
   */
  async addVersion(document: { id: string; certId: string; orgId: string }, version: number, input: NewVersion): Promise<void> {
    const at = this.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      if (version === 1) {
        const inserted = await trx
          .insertInto("documents")
          .values({ id: document.id, cert_id: document.certId, org_id: document.orgId, latest_version: 1, created_at: at })
          .onConflict((oc) => oc.column("id").doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) throw new VersionConflictError();
      } else {
        const updated = await trx
          .updateTable("documents")
          .set({ latest_version: version })
          .where("id", "=", document.id)
          .where("latest_version", "=", version - 1)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0) throw new VersionConflictError();
      }
      await trx
        .insertInto("document_versions")
        .values({ document_id: document.id, version, file_name: input.fileName, content_type: input.contentType, size: input.size, sha256: input.sha256, created_by: input.createdBy, created_at: at })
        .execute();
    });
  }

  private async withVersions(documents: { id: string; cert_id: string; org_id: string; latest_version: number }[]): Promise<DocumentRecord[]> {
    if (documents.length === 0) return [];
    const versions = await this.db
      .selectFrom("document_versions")
      .select(["document_id", "version", "file_name", "content_type", "size", "sha256", "created_at"])
      .where("document_id", "in", documents.map((d) => d.id))
      .orderBy("version")
      .execute();
    return documents.map((d) => ({
      id: d.id,
      certId: d.cert_id,
      orgId: d.org_id,
      latestVersion: d.latest_version,
      versions: versions
        .filter((v) => v.document_id === d.id)
        .map((v) => ({ version: v.version, fileName: v.file_name, contentType: v.content_type, size: Number(v.size), sha256: v.sha256, createdAt: isoString(v.created_at) })),
    }));
  }
}
