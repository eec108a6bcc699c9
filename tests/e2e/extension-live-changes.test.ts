import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiClient } from "../../shared/api/client";
import { apiSignedInAs, startE2eServer } from "../support/e2e-server";
import { GMAIL_THREAD_URL, buildExtensionFor, launchWithExtension, routeGmail, sidebarFrame, signInThroughSidebar, type ExtensionBrowser } from "./extension-harness";

/**
 * The change stream from the Gmail extension's sidebar: an extension-origin frame opening an
 * EventSource on the backend origin (granted by host_permissions, like its API calls). Rita's
 * sidebar badges the Certs tab when Walt shares her a cert.
 */
describe("live changes in the Gmail extension's sidebar (Chromium)", () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  let walt: ApiClient;
  let ritaId: string;
  let ext: ExtensionBrowser;
  let page: Page;
  const streamStatuses: number[] = [];

  beforeAll(async () => {
    const server = await startE2eServer("e2e-extension-live-changes");
    cleanups.push(() => server.stop());
    const extensionDir = await buildExtensionFor(server.url);
    walt = await apiSignedInAs(server, "walt.writer@demo-metals.example");
    ritaId = (await (await apiSignedInAs(server, "rita.reader@demo-metals.example")).getMe()).user.id;
    ext = await launchWithExtension(extensionDir);
    cleanups.push(() => ext.context.close());
    await routeGmail(ext.context, {});
    ext.context.on("response", (response) => {
      if (new URL(response.url()).pathname === "/api/v1/changes/stream") streamStatuses.push(response.status());
    });
    page = await ext.context.newPage();
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("opens the stream from the extension origin and badges the Certs tab", async () => {
    await page.goto(GMAIL_THREAD_URL);
    const sidebar = await sidebarFrame(page, ext.extensionId);
    await signInThroughSidebar(ext.context, sidebar, "Rita Reader");
    await expect.poll(() => streamStatuses, { timeout: 15_000 }).toContain(200);
    // No wait needed: the pane took its starting cursor before the stream's ticket, and reads
    // the feed on `ready`, so a change made before the stream is ready still counts.
    const cert = await walt.createCert({ title: "Coil from Gmail live (e2e)", poNumbers: ["7782"] });
    await walt.shareCert(cert.id, { userId: ritaId });

    const badged = sidebar.getByRole("tab", { name: "Certs, 1 new" });
    await badged.waitFor({ timeout: 15_000 });
    await badged.click();
    await sidebar.getByTestId("certs-tab").getByRole("button", { name: /^Coil from Gmail live \(e2e\)/ }).waitFor();
    expect(await sidebar.getByRole("tab", { name: "Certs", exact: true }).count()).toBe(1);
  });
});
