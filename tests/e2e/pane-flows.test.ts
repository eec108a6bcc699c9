import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiClient } from "../../shared/api/client";
import type { Cert } from "../../shared/protocol/certs";
import { launchBrowser } from "../support/browser";
import { apiSignedInAs, startE2eServer, signInToPlayground } from "../support/e2e-server";
import type { RunningServer } from "../support/server-process";

/**
 * The pane's main flows in Chromium against the real server: Walt Writer's cert for PO 4512 is
 * found from the customer's email, shared through network search, given a public link (with QR
 * code) and inserted into a reply; the toolbar's one-click share shares it with a colleague.
 */
describe("pane flows in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  let api: ApiClient;
  let cert: Cert;

  beforeAll(async () => {
    server = await startE2eServer("e2e-pane-flows");
    browser = await launchBrowser();
    api = await apiSignedInAs(server, "walt.writer@demo-metals.example");
    cert = await api.createCert({ title: "Plate S355J2+N 20 mm (e2e)", poNumbers: ["4512"], heatNumbers: ["8H1234"], product: "Plate" });
  });

  afterAll(async () => {
    await browser.close();
    await server.stop();
  });


  it("finds the cert from the customer's email, shares it, turns on the public link and inserts it into a reply", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cspViolations: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" && /Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    page.on("pageerror", (error) => cspViolations.push(error.message));
    await signInToPlayground(page, server, "Walt Writer");
    // The narrowest task pane Outlook gives an add-in.
    await page.addStyleTag({ content: ".playground-columns { grid-template-columns: 280px minmax(0, 1fr) 320px; } .playground-pane { width: 320px; }" });

    const mailbox = page.getByRole("navigation", { name: "Mailbox" });
    await mailbox.getByRole("button", { name: /^Maria Jensen\s*Certs for PO 4512/ }).click();
    await expect.poll(() => page.getByTestId("current-item-subject").textContent()).toBe("Certs for PO 4512, heat 8H1234");
    const pane = page.getByRole("complementary", { name: "SmartCert task pane" });
    await expect.poll(() => pane.getByTestId("sender-not-on-network").count(), { timeout: 15_000 }).toBe(1);

    const match = pane.getByTestId("reference-po-4512").getByRole("button", { name: /^Plate S355J2\+N 20 mm \(e2e\)/ });
    await match.click();
    const detail = pane.getByTestId("cert-detail");
    await detail.getByRole("heading", { name: cert.title }).waitFor();
    await detail.getByRole("button", { name: "Share", exact: true }).click();

    const sheet = pane.getByTestId("share-sheet");
    await sheet.getByTestId("share-sender-missing").waitFor();
    await sheet.getByRole("searchbox", { name: /Find a user, company or location/ }).fill("Rita");
    await sheet.getByRole("button", { name: "Share with Rita Reader (Demo Metals)" }).click();
    await sheet.getByText("Shared with Rita Reader.").waitFor();

    await sheet.getByRole("switch", { name: "Public link" }).click();
    const linkField = sheet.getByTestId("public-link-url");
    await linkField.waitFor();
    const link = await linkField.inputValue();
    expect(link).toMatch(new RegExp(`^${server.url}/p/[A-Za-z0-9_-]{16,}$`));
    const qr = sheet.getByRole("img", { name: /QR code of the public link/ });
    await qr.waitFor();
    await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);

    expect(await pane.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);

    await sheet.getByRole("button", { name: "Insert into reply" }).click();
    const outbox = page.getByTestId("outbox");
    await expect.poll(() => outbox.textContent()).toContain(`href="${link}"`);
    expect(await outbox.textContent()).toContain("Reply opened on msg-po-4512");

    // The share is recorded against the conversation: the email tab now lists it.
    await pane.getByRole("tab", { name: "This email" }).click();
    await expect.poll(() => pane.getByTestId("conversation-shares").textContent(), { timeout: 15_000 }).toContain(cert.title);

    // The server agrees: Rita received it, and the link is on.
    const serverView = await api.getCert(cert.id);
    expect(serverView.publicLink).toEqual({ enabled: true, url: link });
    expect(cspViolations).toEqual([]);
    await context.close();
  });

  it("saves a cert from a SmartCert link in an email and opens it", async () => {
    const linked = await api.createCert({ title: "Order 9920 plate (e2e)", heatNumbers: ["4K7781"] });
    const { url } = await api.setPublicLink(linked.id, true);
    const token = url?.split("/p/")[1] ?? "";
    expect(token).not.toBe("");

    const context = await browser.newContext();
    const page = await context.newPage();
    // The sample email carries this token's link; the playground keeps it through the sign-in redirect.
    await signInToPlayground(page, server, "Rita Reader", `/?sampleLinkToken=${token}`);

    await page.getByRole("navigation", { name: "Mailbox" }).getByRole("button", { name: /SmartCert for your order 9920/ }).click();
    const pane = page.getByRole("complementary", { name: "SmartCert task pane" });
    const card = pane.getByTestId("public-link-card");
    await expect.poll(() => card.textContent(), { timeout: 15_000 }).toContain(url ?? "");
    await card.getByRole("button", { name: "Save" }).click();

    const detail = pane.getByTestId("cert-detail");
    await detail.getByRole("heading", { name: "Order 9920 plate (e2e)" }).waitFor();
    expect(await detail.getByRole("button", { name: "Share", exact: true }).count()).toBe(0);
    expect(await detail.getByTestId("activity").count()).toBe(0);
    await context.close();
  });

  it("shares with a colleague in one click from the message toolbar", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInToPlayground(page, server, "Walt Writer");
    await page.getByRole("navigation", { name: "Mailbox" }).getByRole("button", { name: /^Rita Reader/ }).click();
    await page.getByRole("toolbar", { name: "Message actions" }).getByRole("button", { name: "Share cert" }).click();
    const outbox = page.getByTestId("outbox");
    await expect.poll(() => outbox.textContent(), { timeout: 15_000 }).toContain(`Shared “${cert.title}” with Rita Reader`);
    expect(await outbox.textContent()).toContain("Reply opened on msg-colleague");
    await context.close();
  });
});
