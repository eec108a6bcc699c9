import { createHash } from "node:crypto";
import type { CertScope, CreateCertBody, UpdateCertBody } from "../../shared/protocol/certs";
import { canCreateCert, certAccess, type CertAccessDecision } from "../access/policy";
import { ProblemError, problems } from "../http/problem";
import type { KeyRing } from "../keys/key-ring";
import type { Principal } from "../orgs/model";
import type { AuditRepository } from "./audit-repository";
import { InvalidCursorError, type CertRepository, type CertWithReceipt } from "./cert-repository";
import type { CertFields, CertRecord } from "./model";

/**
 * Certs as a user sees them: every read and write asks the access policy first. A cert the user
 * cannot view is "not found" whatever its owner, so ids of other tenants are never confirmed.
 */
export interface CertView {
  cert: CertRecord;
  access: CertAccessDecision;
  publicLinkUrl: string | null;
}

export interface CertServiceDeps {
  certs: CertRepository;
  audit: AuditRepository;
  keys: KeyRing;
  publicUrl: string;
}

export class CertService {
  constructor(private readonly deps: CertServiceDeps) {}

  async create(user: Principal, body: CreateCertBody, copiedFrom: string | null = null): Promise<CertView> {
    if (!canCreateCert(user, body.salesLocationId)) {
      throw problems.forbidden(body.salesLocationId && user.roles.includes("writer") ? "The Sales Location must be one of your own locations." : "Creating certs needs the Writer privilege and a location.");
    }
    const cert = await this.deps.certs.create({
      ...fieldsOf(body),
      ownerOrgId: user.orgId,
      ownerLocationIds: body.salesLocationId ? [body.salesLocationId] : user.locationIds,
      salesLocationId: body.salesLocationId ?? null,
      copiedFrom,
      createdBy: user.id,
    });
    await this.deps.audit.record(cert.id, user.id, "created", copiedFrom ? { copiedFrom } : {});
    return this.view(user, cert.id);
  }

  /**
   * The cert with the caller's access, or 404 when the caller cannot view it. `preloaded`: the cert
   * as getCert's authentication already read it with the principal (`principalWithCert`; null: no
   * such cert); the policy decides exactly as for a cert read here.
   */
  async view(user: Principal, certId: string, preloaded?: CertWithReceipt | null): Promise<CertView> {
    const found = preloaded === undefined ? await this.deps.certs.getWithReceipt(certId, user) : preloaded;
    if (!found) throw problems.notFound("The cert");
    const { cert, receipt } = found;
    const access = certAccess(user, cert, receipt);
    if (!access) throw problems.notFound("The cert");
    return { cert, access, publicLinkUrl: access.canSeePublicLink ? this.publicLinkUrl(cert) : null };
  }

  /** The principal of a verified identity and a cert, in one statement (getCert's authentication). */
  principalWithCert(identity: { issuer: string; subject: string }, certId: string): Promise<{ principal: Principal; found: CertWithReceipt | null } | undefined> {
    return this.deps.certs.principalWithCert(identity.issuer, identity.subject, certId);
  }

  /** Like view, but undefined instead of 404 (other errors still throw). */
  async tryView(user: Principal, certId: string): Promise<CertView | undefined> {
    try {
      return await this.view(user, certId);
    } catch (error) {
      if (error instanceof ProblemError && error.status === 404) return undefined;
      throw error;
    }
  }

  async list(user: Principal, query: { q?: string | undefined; scope: CertScope; limit: number; cursor?: string | undefined }): Promise<{ items: CertView[]; nextCursor: string | null }> {
    let page;
    try {
      page = await this.deps.certs.listVisible(user, query.scope, query.q, query.limit, query.cursor);
    } catch (error) {
      if (error instanceof InvalidCursorError) throw problems.badRequest("The cursor is not valid", "Pass back nextCursor from the previous page unchanged.");
      throw error;
    }
    const receipts = await this.deps.certs.receipts(page.items.map((c) => c.id), user.id, user.locationIds);
    const items = page.items.flatMap((cert) => {
      const access = certAccess(user, cert, receipts.get(cert.id) ?? { toUser: false, toLocationIds: [] });
      return access ? [{ cert, access, publicLinkUrl: access.canSeePublicLink ? this.publicLinkUrl(cert) : null }] : [];
    });
    return { items, nextCursor: page.nextCursor };
  }

  async update(user: Principal, certId: string, body: UpdateCertBody): Promise<CertView> {
    const { cert, access } = await this.view(user, certId);
    if (!access.canEdit) throw problems.forbidden(access.side === "receiver" ? "Received certs are read-only. Copy the cert to adjust it." : "Editing needs the Writer privilege.");
    const changed = Object.keys(body).filter((k) => (body as Record<string, unknown>)[k] !== undefined);
    const next: CertFields = {
      title: body.title ?? cert.title,
      poNumbers: body.poNumbers ?? cert.poNumbers,
      heatNumbers: body.heatNumbers ?? cert.heatNumbers,
      certNumbers: body.certNumbers ?? cert.certNumbers,
      product: body.product === undefined ? cert.product : body.product,
      standard: body.standard === undefined ? cert.standard : body.standard,
      metadata: body.metadata ?? cert.metadata,
    };
    await this.deps.certs.update(certId, next);
    await this.deps.audit.record(certId, user.id, "updated", { fields: changed.join(",") });
    return this.view(user, certId);
  }

  async setPublicLink(user: Principal, certId: string, enabled: boolean): Promise<{ enabled: boolean; url: string | null }> {
    const { cert, access } = await this.view(user, certId);
    if (!access.canShare) throw problems.forbidden("Only writers of the cert's own locations can change its public link.");
    if (enabled !== cert.publicLinkEnabled) {
      // A link turned on again gets a new token: whoever had the old URL cannot use it.
      const generation = enabled ? cert.publicLinkGeneration + 1 : cert.publicLinkGeneration;
      const token = enabled ? this.publicLinkToken(certId, generation) : null;
      await this.deps.certs.setPublicLink(certId, enabled, token ? lookupOf(token) : null, generation);
      await this.deps.audit.record(certId, user.id, enabled ? "public-link-enabled" : "public-link-disabled");
    }
    const updated = await this.view(user, certId);
    return { enabled: updated.cert.publicLinkEnabled, url: updated.publicLinkUrl };
  }

  /** The cert behind a public link token, only while the link is on. */
  async findByPublicLinkToken(token: string): Promise<CertRecord | undefined> {
    return this.deps.certs.findByPublicLinkLookup(lookupOf(token));
  }

  async activity(user: Principal, certId: string) {
    const { access } = await this.view(user, certId);
    if (!access.canViewActivity) throw problems.forbidden("Only the cert's own locations see its activity.");
    return this.deps.audit.list(certId);
  }

  publicLinkUrl(cert: CertRecord): string | null {
    return cert.publicLinkEnabled ? `${this.deps.publicUrl}/p/${this.publicLinkToken(cert.id, cert.publicLinkGeneration)}` : null;
  }

  /** Deterministic from a server secret, so the URL can be shown again without storing the token. */
  private publicLinkToken(certId: string, generation: number): string {
    return this.deps.keys.globalHmac("public-link", `${certId}:${generation}`, "base64url");
  }
}

/** Only a hash of the token is stored: the database alone cannot produce a working link. */
function lookupOf(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function fieldsOf(body: CreateCertBody): CertFields {
  return {
    title: body.title,
    poNumbers: body.poNumbers,
    heatNumbers: body.heatNumbers,
    certNumbers: body.certNumbers,
    product: body.product ?? null,
    standard: body.standard ?? null,
    metadata: body.metadata,
  };
}
