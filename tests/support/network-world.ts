import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import type { Database } from "../../backend/db/database";
import type { Role } from "../../backend/orgs/model";
import { OrganizationRepository } from "../../backend/orgs/repository";
import { testCipher } from "./keys";
import { bearer, createTestApp, type TestApp } from "./test-app";
import type { TestIssuer } from "./test-issuer";

/**
 * Builds organizations, locations and users straight through the repository, and gives each user
 * a real bearer token from the independent test issuer, so network tests can speak HTTP as anyone.
 */
export interface WorldUser {
  id: string;
  orgId: string;
  email: string;
  token: string;
}

export class NetworkWorld {
  private counter = 0;

  private constructor(
    readonly t: TestApp,
    readonly orgs: OrganizationRepository,
    private readonly issuer: TestIssuer,
  ) {}

  static async create(options: { db: Database; dataDir: string; issuer: TestIssuer; env?: Record<string, string>; now?: () => Date }): Promise<NetworkWorld> {
    const t = await createTestApp({ db: options.db, dataDir: options.dataDir, issuers: [options.issuer.config], env: { RATE_LIMIT_PER_USER: "100000", RATE_LIMIT_PER_IP: "1000000", LOOKUP_RATE_LIMIT_PER_USER: "100000", ...options.env }, ...(options.now ? { now: options.now } : {}) });
    return new NetworkWorld(t, new OrganizationRepository(options.db, await testCipher(options.db, options.dataDir)), options.issuer);
  }

  get app(): FastifyInstance {
    return this.t.app;
  }

  async org(name: string): Promise<string> {
    return (await this.orgs.createOrganization(`${name} ${++this.counter}`)).id;
  }

  async location(orgId: string, name = `Location ${++this.counter}`): Promise<string> {
    return (await this.orgs.createLocation(orgId, { name })).id;
  }

  /** A user invited and bound: its token signs in as it straight away. */
  async user(orgId: string, roles: Role[], locationIds: string[], displayName = `User ${++this.counter}`): Promise<WorldUser> {
    const email = `user${++this.counter}.${Date.now()}@example.com`;
    const user = await this.orgs.createInvitedUser(orgId, { email, displayName, roles, locationIds });
    const token = await this.issuer.token({ sub: `sub-${user.id}`, email, expiresIn: 3600 });
    return { id: user.id, orgId, email, token };
  }

  async setMembership(user: WorldUser, locationIds: string[]): Promise<void> {
    await this.orgs.updateUser(user.orgId, user.id, { locationIds });
  }

  request(as: WorldUser | null, method: "GET" | "POST" | "PATCH" | "PUT", url: string, payload?: object): Promise<LightMyRequestResponse> {
    return this.app.inject({ method, url, headers: as ? bearer(as.token) : {}, ...(payload ? { payload } : {}) });
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}
