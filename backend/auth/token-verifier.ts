import { createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JWTPayload } from "jose";
import type { IssuerConfig } from "../config";

/**
 * Validates bearer JWTs against the configured issuers. Only RS256 and ES256 are accepted (no
 * `none`, no HMAC: an HS256 token "signed" with a public key must fail). `exp` is required, `iss`
 * selects the issuer and must match exactly, `aud` must contain the configured audience. Each
 * issuer's JWKS is fetched lazily and cached by jose; a token with an unknown `kid` triggers a
 * refetch, at most once per cooldown, so key rotation works and a flood of bogus kids cannot
 * hammer the issuer.
 */
export const ACCEPTED_ALGORITHMS = ["RS256", "ES256"];

export interface VerifiedIdentity {
  issuer: string;
  subject: string;
  email: string | undefined;
  /** `undefined` when the issuer did not say; only an explicit `false` blocks invitation binding. */
  emailVerified: boolean | undefined;
  name: string | undefined;
}

export class TokenRejected extends Error {
  constructor(readonly reason: string) {
    super(`token rejected: ${reason}`);
    this.name = "TokenRejected";
  }
}

export interface TokenVerifierOptions {
  clockToleranceSeconds?: number;
  /** Minimum time between two JWKS refetches caused by unknown `kid`s. */
  jwksCooldownMs?: number;
  /** How long a fetched JWKS is trusted before it is fetched again. */
  jwksCacheMaxAgeMs?: number;
}

type KeySet = ReturnType<typeof createRemoteJWKSet>;

/**
 * A verified token is remembered until it expires, but at most VERIFIED_TTL_MS: the pane sends the
 * same token with every request, and checking its signature again each time was a tenth of a
 * request's cost. A remembered token is used only while its signing key is still in the issuer's
 * current key set, so retiring a key ends its tokens as soon as the new set is fetched.
 * Rejections are never cached.
 */
const VERIFIED_TTL_MS = 5 * 60_000;
const VERIFIED_CACHE_SIZE = 10_000;

export class TokenVerifier {
  private readonly keySets = new Map<string, KeySet>();
  private readonly verified = new Map<string, { identity: VerifiedIdentity; until: number; kid: string | undefined }>();
  /**
   * The key ids each issuer publishes, as of the key set's last fetch. jose's `jwks()` returns a
   * deep copy on every call (about 3 % of a getCert's CPU), and the set can only change while
   * jose verifies a signature against it (it refetches inside that call, never in the
   * background), so the ids are read once and forgotten after every signature check.
   */
  private readonly publishedKids = new Map<string, { kids: Set<string>; count: number }>();

  constructor(
    private readonly issuers: readonly IssuerConfig[],
    private readonly options: TokenVerifierOptions = {},
  ) {}

  async verify(token: string): Promise<VerifiedIdentity> {
    const remembered = this.verified.get(token);
    if (remembered && remembered.until > Date.now() && this.keyStillPublished(remembered.identity.issuer, remembered.kid)) return remembered.identity;
    if (remembered) this.verified.delete(token);
    const { identity, expiresAt, kid } = await this.verifySignature(token);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) {
      const oldest = this.verified.keys().next();
      if (oldest.done !== true) this.verified.delete(oldest.value);
    }
    this.verified.set(token, { identity, until: Math.min(expiresAt, Date.now() + VERIFIED_TTL_MS), kid });
    return identity;
  }

  private keyStillPublished(issuer: string, kid: string | undefined): boolean {
    let published = this.publishedKids.get(issuer);
    if (!published) {
      const keys = this.keySets.get(issuer)?.jwks()?.keys ?? [];
      published = { kids: new Set(keys.flatMap((key) => (key.kid === undefined ? [] : [key.kid]))), count: keys.length };
      this.publishedKids.set(issuer, published);
    }
    return kid === undefined ? published.count === 1 : published.kids.has(kid);
  }

  private async verifySignature(token: string): Promise<{ identity: VerifiedIdentity; expiresAt: number; kid: string | undefined }> {
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      throw new TokenRejected("malformed");
    }
    // The unverified `iss` only picks which keys to check against; jwtVerify then checks it again.
    const issuer = this.issuers.find((i) => i.issuer === unverified.iss);
    if (!issuer) throw new TokenRejected("unknown issuer");

    let payload: JWTPayload;
    let kid: string | undefined;
    try {
      ({ payload, protectedHeader: { kid } } = await jwtVerify(token, this.keySetFor(issuer), {
        issuer: issuer.issuer,
        audience: issuer.audience,
        algorithms: ACCEPTED_ALGORITHMS,
        clockTolerance: this.options.clockToleranceSeconds ?? 30,
        requiredClaims: ["exp", "sub"],
      }));
    } catch (error) {
      throw new TokenRejected(describeJoseError(error));
    } finally {
      // jose may have refetched the issuer's keys during this call (a request checking a
      // remembered token meanwhile may have read the old ids): read them afresh next time.
      this.publishedKids.delete(issuer.issuer);
    }
    const sub = payload.sub;
    if (typeof sub !== "string" || sub.length === 0) throw new TokenRejected("missing sub");
    return {
      identity: {
        issuer: issuer.issuer,
        subject: sub,
        email: typeof payload.email === "string" ? payload.email : undefined,
        emailVerified: typeof payload.email_verified === "boolean" ? payload.email_verified : undefined,
        name: typeof payload.name === "string" ? payload.name : undefined,
      },
      // `exp` is required above; the clock tolerance is not extended here.
      expiresAt: (payload.exp ?? 0) * 1000,
      kid,
    };
  }

  private keySetFor(issuer: IssuerConfig): KeySet {
    let keySet = this.keySets.get(issuer.issuer);
    if (!keySet) {
      keySet = createRemoteJWKSet(new URL(issuer.jwksUri), {
        cooldownDuration: this.options.jwksCooldownMs ?? 30_000,
        cacheMaxAge: this.options.jwksCacheMaxAgeMs ?? 10 * 60_000,
        timeoutDuration: 5_000,
      });
      this.keySets.set(issuer.issuer, keySet);
    }
    return keySet;
  }
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return "expired";
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `claim ${error.claim} invalid`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return "algorithm not allowed";
  if (error instanceof joseErrors.JWKSNoMatchingKey) return "no matching key";
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return "bad signature";
  if (error instanceof joseErrors.JWKSTimeout) return "issuer keys unavailable";
  if (error instanceof joseErrors.JOSEError) return error.code;
  return "invalid";
}
