import type { ShareCertBody } from "../../shared/protocol/certs";
import { problems } from "../http/problem";
import type { Database } from "../db/database";
import type { KeyRing } from "../keys/key-ring";
import type { DirectoryRepository } from "../network/directory-repository";
import type { Principal } from "../orgs/model";
import type { AuditRepository } from "./audit-repository";
import type { CertService, CertView } from "./cert-service";
import type { ShareRecord, ShareTarget } from "./model";
import type { ShareRepository } from "./share-repository";

/**
 * Giving access away: shares to users and locations of any organization, public-link acceptance,
 * copies, and the conversation links behind "already shared in this thread". Every step asks the
 * access policy through CertService.view first.
 */
export interface ShareServiceDeps {
  /** For the transactions that keep a share and its audit event together. */
  db: Database;
  certs: CertService;
  shares: ShareRepository;
  directory: DirectoryRepository;
  audit: AuditRepository;
  keys: KeyRing;
  copyDocuments: (from: { certId: string }, to: { certId: string; orgId: string }, actorUserId: string) => Promise<number>;
}

/** Exported for the sync backend, which links conversations of synced mail to certs the same way. */
export const CONVERSATION_PURPOSE = "conversation-ref";

export class ShareService {
  constructor(private readonly deps: ShareServiceDeps) {}

  async share(user: Principal, certId: string, body: ShareCertBody): Promise<ShareRecord> {
    const { access } = await this.deps.certs.view(user, certId);
    if (!access.canShare) throw problems.forbidden(access.side === "receiver" ? "Received certs cannot be shared on; copy the cert first." : "Sharing needs the Writer privilege.");
    const target = await this.describeTarget(body);
    if (!target) throw problems.notFound(body.userId !== undefined ? "The user" : "The location");

    const key = target.kind === "user" ? { userId: target.userId } : { locationId: target.locationId };
    const conversationHmac = body.conversationRef ? await this.deps.keys.orgHmac(user.orgId, CONVERSATION_PURPOSE, body.conversationRef) : undefined;
    // The share, its conversation link and its audit event commit together: a crash can leave no
    // share without its "shared" event (and one commit instead of three on the write path).
    const { shareId, via, createdAt } = await this.deps.db.transaction().execute(async (trx) => {
      const shares = this.deps.shares.in(trx);
      const result = await shares.share(certId, key, target.kind, user.id);
      if (conversationHmac !== undefined) await shares.linkConversation(user.orgId, conversationHmac, certId);
      if (result.created) {
        await this.deps.audit.in(trx).record(certId, user.id, "shared", target.kind === "user" ? { to: "user", userId: target.userId, name: target.displayName, orgName: target.orgName } : { to: "location", locationId: target.locationId, name: target.name, orgName: target.orgName });
      }
      return result;
    });
    return { id: shareId, certId, target, via, createdAt };
  }

  /** The user or location the body names, as the share will show it; undefined when unknown. */
  private async describeTarget(body: ShareCertBody): Promise<ShareTarget | undefined> {
    if (body.userId !== undefined) {
      const user = await this.deps.directory.userTarget(body.userId);
      return user && { kind: "user", userId: body.userId, ...user };
    }
    const location = await this.deps.directory.locationTarget(body.locationId ?? "");
    return location && { kind: "location", locationId: body.locationId ?? "", ...location };
  }

  /** A signed-in user presenting a live public-link token becomes a permanent receiver. */
  async acceptPublicLink(user: Principal, token: string): Promise<CertView> {
    const cert = await this.deps.certs.findByPublicLinkToken(token);
    if (!cert) throw problems.notFound("The public link");
    // Recorded even when the user already sees the cert through a location: that access ends when
    // they leave the location, the one the link gave them never does (DESIGN §2).
    await this.deps.db.transaction().execute(async (trx) => {
      const { created } = await this.deps.shares.in(trx).share(cert.id, { userId: user.id }, "public-link", user.id);
      if (created) await this.deps.audit.in(trx).record(cert.id, user.id, "received-through-link");
    });
    return this.deps.certs.view(user, cert.id);
  }

  async copy(user: Principal, certId: string): Promise<CertView> {
    const { cert, access } = await this.deps.certs.view(user, certId);
    if (!access.canCopy) throw problems.forbidden("Copying needs the Writer privilege in your organization.");
    const copy = await this.deps.certs.create(
      user,
      { title: cert.title, poNumbers: cert.poNumbers, heatNumbers: cert.heatNumbers, certNumbers: cert.certNumbers, metadata: cert.metadata, ...(cert.product ? { product: cert.product } : {}), ...(cert.standard ? { standard: cert.standard } : {}) },
      cert.id,
    );
    const documents = await this.deps.copyDocuments({ certId: cert.id }, { certId: copy.cert.id, orgId: user.orgId }, user.id);
    await this.deps.audit.record(cert.id, user.id, "copied", { byOrg: copy.cert.ownerOrgName, documents });
    return this.deps.certs.view(user, copy.cert.id);
  }

  async conversationShares(user: Principal, conversationRef: string): Promise<{ certId: string; title: string; sharedAt: string }[]> {
    const hmac = await this.deps.keys.orgHmac(user.orgId, CONVERSATION_PURPOSE, conversationRef);
    const linked = await this.deps.shares.certsInConversation(user.orgId, hmac);
    const visible = await Promise.all(linked.map(async (l) => ({ link: l, view: await this.deps.certs.tryView(user, l.certId) })));
    return visible.flatMap(({ link, view }) => (view ? [{ certId: link.certId, title: view.cert.title, sharedAt: link.sharedAt }] : []));
  }
}
