import type { FastifyReply, FastifyRequest } from "fastify";
import { problems } from "../http/problem";
import type { OrganizationRepository } from "../orgs/repository";
import type { Principal } from "../orgs/model";
import { TokenRejected, type TokenVerifier, type VerifiedIdentity } from "./token-verifier";

/**
 * Turns a bearer token into the signed-in user, or stops the request with 401/403 before any
 * route touches data. Identity is (issuer, subject); the first sign-in of an identity binds it to
 * the pending invitation whose email equals the token's email claim.
 */
export interface AuthContext {
  user: Principal;
}

declare module "fastify" {
  interface FastifyRequest {
    auth?: AuthContext;
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header ?? "");
  return match?.[1];
}

/**
 * Finds the user bound to a verified identity. The default reads the principal alone; a route on
 * the hot path may read its own data in the same statement (getCert: `principalWithCert`) and keep
 * it for its handler. Whatever the loader, the token checks, the invitation binding and the
 * refusal of an identity bound to nobody stay here.
 */
export type PrincipalLoader = (identity: VerifiedIdentity, request: FastifyRequest) => Promise<Principal | undefined>;

export function createAuthenticate(verifier: TokenVerifier, orgs: OrganizationRepository, load?: PrincipalLoader) {
  const loadPrincipal: PrincipalLoader = load ?? ((identity) => orgs.findPrincipalByIdentity(identity.issuer, identity.subject));
  return async function authenticate(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const token = bearerToken(request.headers.authorization);
    if (!token) throw problems.unauthenticated("Send an OpenID Connect token as 'Authorization: Bearer <token>'.");

    let identity;
    try {
      identity = await verifier.verify(token);
    } catch (error) {
      if (error instanceof TokenRejected) {
        request.log.info({ reason: error.reason }, "bearer token rejected");
        throw problems.unauthenticated();
      }
      throw error;
    }

    let user = await loadPrincipal(identity, request);
    if (!user && identity.email && identity.emailVerified !== false) {
      user = await orgs.bindIdentityToInvitation(identity.issuer, identity.subject, identity.email);
      if (user) request.log.info({ userId: user.id, orgId: user.orgId }, "identity bound to invitation");
    }
    if (!user) throw problems.notInvited();
    request.auth = { user };
  };
}

/** The signed-in user of a route that ran `authenticate`; a programming error otherwise. */
export function currentUser(request: FastifyRequest): Principal {
  if (!request.auth) throw new Error("route is missing the authenticate pre-handler");
  return request.auth.user;
}

