import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiClient } from "../../shared/api/client";
import type { Cert } from "../../shared/protocol/certs";
import { launchBrowser } from "../support/browser";
import { apiSignedInAs, startE2eServer } from "../support/e2e-server";
import { officeCalls, routeOfficeJs, type DoubleItem, type DoubleReadItem, type OfficeDoubleConfig, type OfficeDoubleControl } from "../support/office-double";
import { REPO_ROOT, type RunningServer } from "../support/server-process";

/**
 * The built Outlook add-in (dist/addin, served by the real server) in Chromium, with the Office.js
 * test double in place of Microsoft's office.js: sign-in through the Office dialog against the
 * local OpenID provider, the pinned pane following the selected message, the "Share cert"
 * command sharing for real and drafting the reply, a cert created from the message's attachment,
 * and compose insertion and attachments.
 */

const rita = { emailAddress: "rita.reader@demo-metals.example", displayName: "Rita Reader" };
const walt = { emailAddress: "walt.writer@demo-metals.example", displayName: "Walt Writer" };

function readItem(overrides: Partial<DoubleReadItem> & { itemId: string }): DoubleReadItem {
  return {
    kind: "read",
    internetMessageId: `<${overrides.itemId}@demo-metals.example>`,
    conversationId: `conv-${overrides.itemId}`,
    subject: "Certs for PO 7731",
    from: rita,
    to: [walt],
    cc: [],
    dateTimeCreated: "2026-11-20T09:15:00.000Z",
    body: "Hi Walt, could you send the certs for PO 7731? Thanks, Rita",
    attachments: [],
    ...overrides,
  };
}

const control = (page: Page) => page.evaluateHandle(() => (window as unknown as { __officeDouble: OfficeDoubleControl }).__officeDouble);

describe("Outlook add-in in Chromium with an Office.js double", () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let walts: ApiClient;
  let cert: Cert;
  let config: OfficeDoubleConfig;
  const problems: string[] = [];

  function watch(page: Page): Page {
    page.on("console", (message) => {
      if (message.type() === "error" && /Content Security Policy/iu.test(message.text())) problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
    return page;
  }

  beforeAll(async () => {
    if (!fs.existsSync(path.join(REPO_ROOT, "dist/addin/taskpane.html"))) throw new Error("dist/addin is missing: run `npm run build` first (npm test does).");
    server = await startE2eServer("e2e-addin-outlook");
    browser = await launchBrowser();
    walts = await apiSignedInAs(server, "walt.writer@demo-metals.example");
    cert = await walts.createCert({ title: "Tube P235GH 60.3 mm (e2e)", poNumbers: ["7731"], heatNumbers: ["5T2210"], product: "Tube" });
    // One context for the file: the task pane and the function file share the add-in origin's storage, as in Outlook.
    context = await browser.newContext();
    config = { item: readItem({ itemId: "msg-1" }), mailboxVersion: "1.15", displayLanguage: "en-US" };
    await routeOfficeJs(context, () => config);
  });

  afterAll(async () => {
    await context.close();
    await browser.close();
    await server.stop();
  });

  it("signs in through the Office dialog and follows the selected message in the pinned pane", async () => {
    const page = watch(await context.newPage());
    await page.goto(`${server.url}/addin/taskpane.html`);
    const pane = page.getByTestId("smartcert-pane");
    const dialogOpened = context.waitForEvent("page");
    await pane.getByRole("button", { name: "Sign in", exact: true }).click();
    const dialog = watch(await dialogOpened);
    await dialog.getByRole("button", { name: "Sign in as Walt Writer" }).click();
    await expect.poll(() => page.getByTestId("me-display-name").textContent(), { timeout: 20_000 }).toContain("Walt Writer");
    await expect.poll(() => dialog.isClosed()).toBe(true);

    // The pane shows the selected message and finds the cert it asks for.
    await expect.poll(() => page.getByTestId("current-item-subject").textContent()).toBe("Certs for PO 7731");
    await expect.poll(() => pane.getByTestId("reference-po-7731").textContent(), { timeout: 15_000 }).toContain(cert.title);

    // Outlook selects another message, then nothing.
    await (await control(page)).evaluate((double, item: DoubleItem) => { double.selectItem(item); }, readItem({ itemId: "msg-2", subject: "Heat 5T2210 question" }));
    await expect.poll(() => page.getByTestId("current-item-subject").textContent()).toBe("Heat 5T2210 question");
    await (await control(page)).evaluate((double) => { double.selectItem(null); });
    await expect.poll(() => page.getByTestId("current-item-subject").count()).toBe(0);

    const calls = await officeCalls(page);
    expect(calls.filter((c) => c.method === "mailbox.addHandlerAsync").map((c) => c.args[0])).toEqual(["olkItemSelectedChanged"]);
    expect(calls.find((c) => c.method === "ui.displayDialogAsync")?.args[0]).toBe(`${server.url}/addin/auth-dialog.html`);
    expect(calls.some((c) => c.method.startsWith("roamingSettings"))).toBe(false);
    const stored = await page.evaluate(() => JSON.parse(window.localStorage.getItem("smartcert.outlook.session") ?? "null") as { account: { name: string } } | null);
    expect(stored?.account.name).toBe("Walt Writer");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("follows Outlook's display language and dark theme", async () => {
    config = { ...config, item: readItem({ itemId: "msg-sv" }), displayLanguage: "sv-SE", bodyBackgroundColor: "#1f1f1f" };
    const page = watch(await context.newPage());
    await page.goto(`${server.url}/addin/taskpane.html`);
    const pane = page.getByTestId("smartcert-pane");
    // Signed in (after the first test) or not, the account button speaks Swedish.
    await pane.getByRole("button", { name: /^Logga (in|ut)$/u }).first().waitFor({ timeout: 20_000 });
    expect(await pane.evaluate((el) => el.closest("[lang]")?.getAttribute("lang"))).toBe("sv");
    // Fluent's dark theme paints the pane's background dark (relative luminance well below one half).
    const background = await pane.evaluate((el) => getComputedStyle(el.closest(".fui-FluentProvider") ?? el).backgroundColor);
    expect(background).toMatch(/^rgb\(/u); // an opaque colour, not a transparent fallback
    const [r = 255, g = 255, b = 255] = (background.match(/\d+/gu) ?? []).map(Number);
    expect((0.2126 * r + 0.7152 * g + 0.0722 * b) / 255).toBeLessThan(0.3);
    config = { ...config, displayLanguage: "en-US", bodyBackgroundColor: "#ffffff" };
    expect(problems).toEqual([]);
    await page.close();
  });

  it("Share cert shares the cert with the sender, drafts the reply and reports it on the item", async () => {
    config = { ...config, item: readItem({ itemId: "msg-3" }) };
    const page = watch(await context.newPage());
    await page.goto(`${server.url}/addin/commands.html`);
    await (await control(page)).evaluate((double) => double.invokeCommand("shareCert"));

    const calls = await officeCalls(page);
    const reply = calls.find((c) => c.method === "displayReplyFormAsync");
    expect((reply?.args[0] as { htmlBody: string }).htmlBody).toContain(cert.title);
    const notification = calls.filter((c) => c.method === "notificationMessages.replaceAsync").at(-1);
    expect(notification?.args[1]).toMatchObject({ type: "informationalMessage", message: `Shared “${cert.title}” with Rita Reader; a reply with the details is open.` });
    expect(calls.at(-1)?.method).toBe("event.completed");
    // The server agrees: Rita can open the cert now.
    const ritas = await apiSignedInAs(server, "rita.reader@demo-metals.example");
    expect((await ritas.getCert(cert.id)).title).toBe(cert.title);

    // An email naming no number needs the pane: the notification offers to open it.
    await (await control(page)).evaluate((double, item: DoubleItem) => { double.selectItem(item); }, readItem({ itemId: "msg-4", subject: "Lunch?", body: "Lunch on Friday?" }));
    await (await control(page)).evaluate((double) => double.invokeCommand("shareCert"));
    const after = await officeCalls(page);
    expect(after.filter((c) => c.method === "notificationMessages.replaceAsync").at(-1)?.args[1]).toMatchObject({
      type: "insightMessage",
      actions: [{ actionType: "showTaskPane", commandId: "smartcertReadPaneButton" }],
    });
    expect(after.filter((c) => c.method === "event.completed")).toHaveLength(2);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("creates a cert from the message's PDF attachment, read through getAttachmentContentAsync", async () => {
    const pdf = "%PDF-1.4 outlook mill cert 7731\n%%EOF\n";
    config = {
      ...config,
      item: readItem({
        itemId: "msg-6",
        subject: "Mill cert for PO 7731",
        attachments: [{ id: "AAMkAtt1", name: "mill-cert 7731.pdf", contentType: "application/pdf", size: pdf.length, isInline: false, base64: Buffer.from(pdf).toString("base64") }],
      }),
    };
    const page = watch(await context.newPage());
    await page.goto(`${server.url}/addin/taskpane.html`);
    const pane = page.getByTestId("smartcert-pane");
    await pane.getByRole("button", { name: "Create cert from attachments" }).click({ timeout: 20_000 });
    const attachments = pane.getByTestId("create-attachments");
    await attachments.waitFor();
    expect(await attachments.getByRole("checkbox", { name: /mill-cert 7731\.pdf/u }).isChecked()).toBe(true);
    await pane.getByRole("textbox", { name: /Title/u }).fill("Mill cert from Outlook (e2e)");
    await pane.getByRole("button", { name: "Create", exact: true }).click();

    let created: Cert | undefined;
    await expect
      .poll(async () => {
        created = (await walts.listCerts({ q: "Mill cert from Outlook", scope: "owned", limit: 10 })).items[0];
        return created ? (await walts.listDocuments(created.id)).items.length : 0;
      }, { timeout: 20_000 })
      .toBe(1);
    const [document] = (await walts.listDocuments(created?.id ?? "")).items;
    expect(document?.versions.map((v) => v.fileName)).toEqual(["mill-cert 7731.pdf"]);
    const { url } = await walts.getDocumentUrl(created?.id ?? "", document?.id ?? "");
    expect(await (await fetch(new URL(url, server.url))).text()).toBe(pdf);
    expect((await officeCalls(page)).filter((c) => c.method === "getAttachmentContentAsync").map((c) => c.args[0])).toEqual(["AAMkAtt1"]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("Insert cert opens the pane in insert mode, inserts the link and attaches the documents to the draft", async () => {
    config = { ...config, item: { kind: "compose", conversationId: "conv-5", subject: "RE: Certs for PO 7731", to: [rita], cc: [] } };
    const page = watch(await context.newPage());
    await page.goto(`${server.url}/addin/taskpane.html?view=insert-cert`);
    const pane = page.getByTestId("smartcert-pane");
    await pane.getByTestId("certs-insert-mode").waitFor({ timeout: 20_000 });
    const row = pane.getByTestId("cert-row").filter({ hasText: cert.title });
    await row.getByRole("button", { name: `Insert a link to “${cert.title}” into the email` }).click();
    await expect.poll(async () => (await officeCalls(page)).find((c) => c.method === "body.setSelectedDataAsync")?.args, { timeout: 15_000 }).toEqual([
      expect.stringContaining(cert.title),
      { coercionType: "html" },
    ]);

    // The cert created from the attachment above has a document: attach it to the draft.
    const withDocument = pane.getByTestId("cert-row").filter({ hasText: "Mill cert from Outlook (e2e)" });
    await withDocument.getByRole("button", { name: "Attach the documents of “Mill cert from Outlook (e2e)” to the email" }).click();
    const pdfBase64Length = 4 * Math.ceil("%PDF-1.4 outlook mill cert 7731\n%%EOF\n".length / 3);
    await expect
      .poll(async () => (await officeCalls(page)).find((c) => c.method === "addFileAttachmentFromBase64Async")?.args, { timeout: 15_000 })
      .toEqual([pdfBase64Length, "mill-cert 7731.pdf"]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("Send securely with a passphrase encrypts in the pane under the add-in's CSP (Argon2id's WebAssembly) and inserts the link", async () => {
    config = { ...config, item: { kind: "compose", conversationId: "conv-6", subject: "Drawings", to: [rita], cc: [] } };
    const page = watch(await context.newPage());
    await page.goto(`${server.url}/addin/taskpane.html?view=send-securely`);
    const pane = page.getByTestId("smartcert-pane");
    await pane.getByRole("button", { name: "Encrypt and send" }).waitFor({ timeout: 20_000 });
    await pane.getByRole("textbox", { name: "Message" }).fill("Drawings for PO 7731, as agreed.");
    await pane.getByLabel("Passphrase (optional)").fill("blue harbour 42");
    await pane.getByRole("button", { name: "Encrypt and send" }).click();
    const link = pane.getByRole("textbox", { name: "Link" });
    await link.waitFor({ timeout: 60_000 });
    expect(await link.inputValue()).toMatch(/\/m\/[0-9a-f-]{36}#[A-Za-z0-9_-]{43}$/);
    await pane.getByRole("button", { name: "Insert link into the email" }).click();
    await expect.poll(async () => (await officeCalls(page)).find((c) => c.method === "body.setSelectedDataAsync")?.args[0], { timeout: 15_000 }).toEqual(expect.stringContaining("/m/"));
    expect(problems).toEqual([]);
    await page.close();
  });
});
