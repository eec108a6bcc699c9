import { describe, expect, it } from "vitest";
import type { ApiClient } from "../../shared/api/client";
import { createFakeAuth, FakeHost, type OutboxEntry } from "../../shared/host/fake-host";
import type { ReadMailItem } from "../../shared/host/host";
import { completing, runShareCert } from "../../addin/commands/share-cert-command";

/**
 * The command's own decisions around the shared one-click action (which has its own tests, and
 * runs against the real backend in tests/e2e/addin-outlook.test.ts): signed out, needs the pane,
 * failures reported on the item, and event.completed() always.
 */
const item: ReadMailItem = {
  kind: "read",
  key: "read:1",
  hostItemId: "1",
  conversationId: "c1",
  internetMessageId: "<1@x.example>",
  subject: "Lunch?",
  from: { address: "sam@supplier.example" },
  to: [],
  cc: [],
  attachments: [],
  receivedAt: "2026-11-20T09:15:00.000Z",
};

function hostWith(signedIn: boolean, body = "Lunch on Friday?") {
  return new FakeHost({ mailbox: [{ item, bodyText: body }], initialItemKey: item.key, auth: createFakeAuth({ signedIn }) });
}

/** An API that must not be reached in these cases; a call fails the test loudly. */
const unreachableApi = new Proxy({}, { get: (_target, name) => () => Promise.reject(new Error(`API call ${String(name)} not expected`)) }) as ApiClient;

const notifications = (outbox: readonly OutboxEntry[]) => outbox.flatMap((entry) => (entry.kind === "notified" ? [entry.notification] : []));

describe("runShareCert", () => {
  it("asks for sign-in in the pane when signed out, without calling the API", async () => {
    const host = hostWith(false);
    const needsPane: string[] = [];
    const outcome = await runShareCert({ host, api: unreachableApi, locale: "sv-SE", showNeedsPane: (m) => { needsPane.push(m); return Promise.resolve(); } });
    expect(outcome).toBe("signed-out");
    expect(needsPane).toEqual(["Logga in i SmartCert-fönstret först och tryck sedan på Dela cert igen."]);
  });

  it("sends an email without numbers to the pane, in the user's language", async () => {
    const host = hostWith(true);
    const needsPane: string[] = [];
    const outcome = await runShareCert({ host, api: unreachableApi, locale: "en-GB", showNeedsPane: (m) => { needsPane.push(m); return Promise.resolve(); } });
    expect(outcome).toBe("needs-pane");
    expect(needsPane).toEqual(["This email names no PO, heat or cert number. Open the SmartCert pane to choose a cert."]);
  });

  it("reports a failure as an error notification on the item", async () => {
    const host = hostWith(true, "Certs for PO 4512 please");
    const outcome = await runShareCert({ host, api: unreachableApi, locale: "en-US", showNeedsPane: () => Promise.resolve() });
    expect(outcome).toBe("failed");
    expect(notifications(host.outbox)).toEqual([{ kind: "error", message: "Share cert failed: API call listCerts not expected" }]);
  });
});

describe("completing", () => {
  it("calls event.completed() after the handler, also when it throws", async () => {
    let completed = 0;
    const event = { completed: () => { completed++; } };
    await completing(event, () => Promise.resolve());
    await expect(completing(event, () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(completed).toBe(2);
  });
});
