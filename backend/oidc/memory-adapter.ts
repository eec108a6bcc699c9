import type { Adapter, AdapterFactory, AdapterPayload } from "oidc-provider";

/**
 * A small in-memory adapter, one store per provider instance (so apps built in the same test
 * process do not share state). oidc-provider ships one too, but using it prints a warning on every
 * start; this one also indexes what the provider looks up besides ids (session uid, grant members).
 */
const GRANT_BOUND_MODELS = new Set(["AccessToken", "AuthorizationCode", "RefreshToken", "DeviceCode", "BackchannelAuthenticationRequest"]);

export function createInMemoryAdapter(): AdapterFactory {
  const records = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  const sessionKeyByUid = new Map<string, string>();
  const keysByGrant = new Map<string, Set<string>>();
  let writes = 0;

  const read = (key: string): AdapterPayload | undefined => {
    const record = records.get(key);
    if (record === undefined || record.expiresAt > Date.now()) return record?.payload;
    records.delete(key);
    return undefined;
  };
  const sweep = (): void => {
    const now = Date.now();
    for (const [key, record] of records) if (record.expiresAt <= now) records.delete(key);
    for (const [uid, key] of sessionKeyByUid) if (!records.has(key)) sessionKeyByUid.delete(uid);
    for (const [grantId, keys] of keysByGrant) {
      for (const key of keys) if (!records.has(key)) keys.delete(key);
      if (keys.size === 0) keysByGrant.delete(grantId);
    }
  };

  return (model: string): Adapter => {
    const keyFor = (id: string): string => `${model}:${id}`;
    return {
      upsert: (id, payload, expiresIn) => {
        const key = keyFor(id);
        const expiresAt = typeof expiresIn === "number" ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY;
        records.set(key, { payload, expiresAt });
        if (model === "Session" && payload.uid) sessionKeyByUid.set(payload.uid, key);
        // Only tokens belong to a grant; an in-progress Interaction carries a grantId too, and
        // revoking the previous user's grant while another account signs in must not delete it.
        if (payload.grantId && GRANT_BOUND_MODELS.has(model)) {
          const members = keysByGrant.get(payload.grantId) ?? new Set<string>();
          keysByGrant.set(payload.grantId, members.add(key));
        }
        if (++writes % 500 === 0) sweep();
        return Promise.resolve();
      },
      find: (id) => Promise.resolve(read(keyFor(id))),
      findByUid: (uid) => {
        const key = sessionKeyByUid.get(uid);
        return Promise.resolve(key === undefined ? undefined : read(key));
      },
      // Device flow is disabled, so user codes are never stored.
      findByUserCode: () => Promise.resolve(undefined),
      consume: (id) => {
        const payload = read(keyFor(id));
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
        return Promise.resolve();
      },
      destroy: (id) => {
        records.delete(keyFor(id));
        return Promise.resolve();
      },
      revokeByGrantId: (grantId) => {
        for (const key of keysByGrant.get(grantId) ?? []) records.delete(key);
        keysByGrant.delete(grantId);
        return Promise.resolve();
      },
    };
  };
}
