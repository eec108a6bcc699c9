import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK, type JWTPayload, type CryptoKey } from "jose";

/**
 * An OpenID issuer independent of the project's own provider: its keys are made here with jose and
 * its JWKS is served over real HTTP, so the backend is checked against an issuer it knows only
 * through OIDC_ISSUERS. It can rotate keys and counts how often its JWKS was fetched.
 */
interface SigningKey {
  kid: string;
  alg: "RS256" | "ES256";
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

export interface TokenOptions {
  sub?: string;
  email?: string;
  emailVerified?: boolean;
  name?: string;
  audience?: string;
  issuer?: string;
  /** Seconds from now; negative for an expired token. `null` leaves `exp` out. */
  expiresIn?: number | null;
  kid?: string;
  alg?: "RS256" | "ES256";
  extra?: JWTPayload;
}

export class TestIssuer {
  jwksFetches = 0;
  private keys: SigningKey[] = [];
  private server: http.Server | undefined;
  private baseUrl = "";

  static async start(audience = "test-audience"): Promise<TestIssuer> {
    const issuer = new TestIssuer(audience);
    await issuer.rotate("RS256");
    await issuer.listen();
    return issuer;
  }

  private constructor(readonly audience: string) {}

  get issuer(): string {
    return this.baseUrl;
  }

  get jwksUri(): string {
    return `${this.baseUrl}/jwks`;
  }

  /** The OIDC_ISSUERS entry for this issuer. */
  get config(): { issuer: string; audience: string; jwksUri: string } {
    return { issuer: this.issuer, audience: this.audience, jwksUri: this.jwksUri };
  }

  get currentKid(): string {
    const key = this.keys[0];
    if (!key) throw new Error("no key");
    return key.kid;
  }

  /** Adds a new current key; `retireOld` drops the previous ones from the published JWKS. */
  async rotate(alg: "RS256" | "ES256" = "RS256", retireOld = false): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const kid = randomUUID();
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
    this.keys = [{ kid, alg, privateKey, publicKey, publicJwk }, ...(retireOld ? [] : this.keys)];
    return kid;
  }

  /** The current public key as PEM, for the "HS256 signed with the public key" attack. */
  async publicKeyPem(): Promise<string> {
    const key = this.keys[0];
    if (!key) throw new Error("no key");
    return exportSPKI(key.publicKey);
  }

  async token(options: TokenOptions = {}): Promise<string> {
    const key = options.kid ? this.keys.find((k) => k.kid === options.kid) : this.keys.find((k) => !options.alg || k.alg === options.alg);
    if (!key) throw new Error("no such key");
    const now = Math.floor(Date.now() / 1000);
    const claims: JWTPayload = {
      ...(options.email !== undefined ? { email: options.email } : {}),
      ...(options.emailVerified !== undefined ? { email_verified: options.emailVerified } : {}),
      ...(options.name !== undefined ? { name: options.name } : {}),
      ...options.extra,
    };
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: options.kid ?? key.kid, typ: "JWT" })
      .setIssuer(options.issuer ?? this.issuer)
      .setAudience(options.audience ?? this.audience)
      .setSubject(options.sub ?? "subject-1")
      .setIssuedAt(now);
    if (options.expiresIn !== null) jwt.setExpirationTime(now + (options.expiresIn ?? 300));
    return jwt.sign(key.privateKey);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      if (!this.server) {
        resolve();
        return;
      }
      this.server.close(() => { resolve(); });
      this.server.closeAllConnections();
    });
  }

  private async listen(): Promise<void> {
    this.server = http.createServer((req, res) => {
      if (req.url === "/jwks") {
        this.jwksFetches++;
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ keys: this.keys.map((k) => k.publicJwk) }));
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
  }
}

export function base64url(value: string | Uint8Array): string {
  return Buffer.from(value).toString("base64url");
}
