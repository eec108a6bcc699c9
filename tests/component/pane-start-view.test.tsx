import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { lazy } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { PaneExtraViewProps } from "../../shared/pane/App";
import { ViewBoundary, lazyView } from "../../shared/pane/shell/lazy-view";
import type { DocumentDto } from "../../shared/protocol/documents";
import { FakeHost, createFakeAuth } from "../../shared/host/fake-host";
import { certFixture, renderPane, sampleMailbox } from "./pane-fakes";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const selectedTab = () => screen.getAllByRole("tab").find((tab) => tab.getAttribute("aria-selected") === "true")?.textContent;

function documentFixture(id: string, fileName: string, versions: number): DocumentDto {
  return {
    id,
    certId: "00000000-0000-4000-8000-000000000999",
    latestVersion: versions,
    versions: Array.from({ length: versions }, (_, i) => ({
      version: i + 1,
      fileName,
      contentType: "application/pdf",
      size: 10 + i,
      sha256: "0".repeat(64),
      createdAt: "2026-11-20T08:00:00.000Z",
    })),
  };
}

describe("start view", () => {
  it("opens on This email by default, and on Certs or Settings when asked", async () => {
    const { restart } = await renderPane({ api: {} });
    expect(selectedTab()).toBe("This email");
    expect(screen.getByTestId("email-tab")).toBeTruthy();

    act(() => {
      restart("certs");
    });
    expect(selectedTab()).toBe("Certs");
    expect(await screen.findByRole("button", { name: "New cert" })).toBeTruthy();
    expect(screen.queryByTestId("certs-insert-mode")).toBeNull();

    act(() => {
      restart("settings");
    });
    expect(selectedTab()).toBe("Settings");
    expect(await screen.findByTestId("settings")).toBeTruthy();

    act(() => {
      restart("context");
    });
    expect(selectedTab()).toBe("This email");
  });

  it("insert-cert: each cert offers Insert link and Attach documents, which attaches the latest version of each document", async () => {
    const cert = certFixture({ title: "Plate S355 20 mm", publicLink: { enabled: true, url: "http://localhost:3000/p/tok_abcdefghijklmnopqrst" } });
    const getDocumentUrl = vi.fn((_certId: string, documentId: string, version?: number) =>
      Promise.resolve({ url: `http://localhost:3000/files/${documentId}/${String(version)}`, expiresAt: "2026-11-23T08:00:00.000Z" }),
    );
    // The signed URLs' downloads (the pane fetches them directly, not through the API client).
    vi.stubGlobal(
      "fetch",
      vi.fn((url: string) => Promise.resolve({ ok: true, blob: () => Promise.resolve(new Blob([`bytes of ${url}`], { type: "application/pdf" })) })),
    );
    const { host } = await renderPane({
      itemKey: "draft-reply-4512",
      startView: "insert-cert",
      api: {
        listCerts: () => Promise.resolve({ items: [cert], nextCursor: null }),
        listDocuments: () => Promise.resolve({ items: [documentFixture("doc-a", "mill-cert.pdf", 2), documentFixture("doc-b", "inspection.pdf", 1)] }),
        getDocumentUrl,
      },
    });
    expect(selectedTab()).toBe("Certs");
    expect(await screen.findByTestId("certs-insert-mode")).toBeTruthy();
    expect(screen.getByText("Insert a link to a cert, or attach its documents as files.")).toBeTruthy();
    // Insert mode is about the email: no create button, no share button.
    expect(screen.queryByRole("button", { name: "New cert" })).toBeNull();

    const row = await screen.findByTestId("cert-row");
    fireEvent.click(within(row).getByRole("button", { name: "Insert a link to “Plate S355 20 mm” into the email" }));
    await within(row).findByText("Added to the email.");
    const inserted = host.outbox.find((entry) => entry.kind === "inserted");
    expect(inserted?.kind === "inserted" && "html" in inserted.content ? inserted.content.html : "").toContain("/p/tok_abcdefghijklmnopqrst");

    fireEvent.click(within(row).getByRole("button", { name: "Attach the documents of “Plate S355 20 mm” to the email" }));
    await within(row).findByText("Attached 2 documents.");
    const attached = host.outbox.flatMap((entry) => (entry.kind === "attached" ? [entry.name] : []));
    expect(attached).toEqual(["mill-cert.pdf", "inspection.pdf"]);
    // The newest version of each document, each through its own signed URL.
    expect(getDocumentUrl.mock.calls.map((call) => [call[1], call[2]])).toEqual([
      ["doc-a", 2],
      ["doc-b", 1],
    ]);
  });

  it("insert-cert without a draft or an email says what to open", async () => {
    const host = new FakeHost({ mailbox: sampleMailbox(), initialItemKey: null, auth: createFakeAuth({ signedIn: true }) });
    await renderPane({ host, startView: "insert-cert", api: {} });
    expect(await screen.findByText("Open a draft or an email to insert a cert.")).toBeTruthy();
  });

  it("send-securely without a registered view says it is not in this build; Back returns to This email", async () => {
    // `{}`: explicitly nothing registered (App's default registers shared/secure's views).
    await renderPane({ itemKey: "draft-reply-4512", startView: "send-securely", extraViews: {}, api: {} });
    const view = await screen.findByTestId("extra-view-send-securely");
    expect(within(view).getByRole("heading", { name: "Send securely" })).toBeTruthy();
    expect(within(view).getByTestId("extra-view-unavailable").textContent).toBe("Send securely isn't available in this build of SmartCert.");
    // Nothing registered: the email tab offers no way in.
    fireEvent.click(within(view).getByRole("button", { name: /Back/ }));
    expect(screen.getByTestId("email-tab")).toBeTruthy();
    expect(screen.queryByTestId("extra-view-links")).toBeNull();
  });

  it("shows registered extra views (lazy), which can open each other and close", async () => {
    const SendSecurely = lazy(() =>
      Promise.resolve({
        default: ({ open, close }: PaneExtraViewProps) => (
          <div>
            <p>Secure compose form</p>
            <button type="button" onClick={() => { open("sent-securely"); }}>Show sent</button>
            <button type="button" onClick={close}>Done</button>
          </div>
        ),
      }),
    );
    const SentSecurely = () => <p>Sent messages list</p>;
    await renderPane({ itemKey: "draft-reply-4512", startView: "send-securely", extraViews: { "send-securely": SendSecurely, "sent-securely": SentSecurely }, api: {} });
    expect(await screen.findByText("Secure compose form")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Show sent" }));
    expect(await screen.findByText("Sent messages list")).toBeTruthy();
    expect(within(screen.getByTestId("extra-view-sent-securely")).getByRole("heading", { name: "Sent securely" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: /Back/ }));
    fireEvent.click(await screen.findByRole("button", { name: "Done" }));
    // Back on This email, which now offers both registered views for this draft.
    const links = await screen.findByTestId("extra-view-links");
    expect(within(links).getAllByRole("button").map((b) => b.textContent)).toEqual(["Send securely", "Sent securely"]);
  });
});

describe("lazy views", () => {
  it("shows a spinner while loading, the problem with Retry when the load fails, and loads again on Retry", async () => {
    let attempts = 0;
    let finish: (() => void) | undefined;
    const View = lazyView<{ readonly name: string }>(() => {
      attempts += 1;
      if (attempts === 1) return Promise.reject(new TypeError("Failed to fetch dynamically imported module"));
      return new Promise((resolve) => {
        finish = () => {
          resolve(({ name }) => <p>Hello {name}</p>);
        };
      });
    });
    render(
      <ViewBoundary>
        <View name="Ada" />
      </ViewBoundary>,
    );
    const error = await screen.findByTestId("pane-error");
    expect(error.textContent).toContain("This part of SmartCert couldn't be loaded.");
    fireEvent.click(within(error).getByRole("button", { name: "Retry" }));
    expect(await screen.findByTestId("pane-view-loading")).toBeTruthy();
    await waitFor(() => {
      expect(finish).toBeDefined();
    });
    act(() => {
      finish?.();
    });
    expect(await screen.findByText("Hello Ada")).toBeTruthy();
    expect(attempts).toBe(2);
  });
});
