import { describe, expect, it } from "vitest";
import { OfficeHost, type OfficeLike } from "../../addin/office-host";
import { createFakeAuth } from "../../shared/host/fake-host";
import { HostError } from "../../shared/host/host";

/**
 * Host.openInBrowser in Outlook: present only where OpenBrowserWindowApi 1.1 is supported (classic
 * Outlook on Windows, Outlook on Mac), calling Office.context.ui.openBrowserWindow; absent elsewhere
 * (Outlook on the web, the new Outlook), so the pane shows the URL as a link instead.
 */
function office(sets: Record<string, string>, openBrowserWindow: (url: string) => void): OfficeLike {
  // Built untyped and cast: office-js also declares a deprecated numeric overload of isSetSupported.
  const requirements = { isSetSupported: (name: string, version: string) => sets[name] !== undefined && Number(version) <= Number(sets[name]) };
  return {
    context: {
      mailbox: { item: null, addHandlerAsync: () => undefined, removeHandlerAsync: () => undefined } as unknown as OfficeLike["context"]["mailbox"],
      requirements: requirements as unknown as OfficeLike["context"]["requirements"],
      ui: { openBrowserWindow },
    },
  };
}

describe("OfficeHost.openInBrowser", () => {
  it("opens the system browser through openBrowserWindow where the requirement set is supported", async () => {
    const opened: string[] = [];
    const host = await OfficeHost.create({ office: office({ Mailbox: "1.15", OpenBrowserWindowApi: "1.1" }, (url) => opened.push(url)), auth: createFakeAuth(), followSelection: false });
    expect(host.features.openBrowserWindow).toBe(true);
    await host.openInBrowser?.("https://accounts.google.com/o/oauth2/v2/auth?state=s");
    expect(opened).toEqual(["https://accounts.google.com/o/oauth2/v2/auth?state=s"]);
  });

  it("turns Office's exception into a HostError", async () => {
    const host = await OfficeHost.create({ office: office({ Mailbox: "1.15", OpenBrowserWindowApi: "1.1" }, () => { throw new Error("blocked"); }), auth: createFakeAuth(), followSelection: false });
    const error = await host.openInBrowser?.("https://example.com/").then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(HostError);
    expect((error as HostError).code).toBe("failed");
  });

  it("is absent where Outlook lacks OpenBrowserWindowApi 1.1", async () => {
    const opened: string[] = [];
    const host = await OfficeHost.create({ office: office({ Mailbox: "1.15" }, (url) => opened.push(url)), auth: createFakeAuth(), followSelection: false });
    expect(host.features.openBrowserWindow).toBe(false);
    expect(host.openInBrowser).toBeUndefined();
  });
});
