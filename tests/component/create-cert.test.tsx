import { act, cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, type ApiClient } from "../../shared/api/client";
import type { UploadOptions, UploadResult } from "../../shared/api/upload";
import { FakeHost } from "../../shared/host/fake-host";
import { CreateCertView } from "../../shared/pane/create/CreateCertView";
import { extractReferences, prefillFromEmail, splitList, stripReplyPrefixes } from "../../shared/pane/create/prefill";
import { createCatalogs } from "../../shared/pane/create/strings";
import type { Cert } from "../../shared/protocol/certs";
import type { Me } from "../../shared/protocol/organizations";
import { problemTypes } from "../../shared/protocol/problem";
import { sampleMailbox } from "../../shared/playground/sample-mailbox";
import { fakeApi, renderInPane } from "./fake-api";
import { adaMe } from "./fixtures";

const fileA = "BSM-2026-11873_8H1234.pdf";
const fileB = "BSM-2026-11874_8H1235.pdf";

const newCert: Cert = {
  id: "00000000-0000-4000-8000-0000000c0001",
  title: "Inspection certificates, delivery 7781 (heats 8H1234, 8H1235)",
  poNumbers: [],
  heatNumbers: ["8H1234", "8H1235"],
  certNumbers: [],
  product: null,
  standard: "EN 10204 3.1",
  metadata: {},
  ownerOrg: adaMe.org,
  ownerLocationIds: adaMe.user.locationIds,
  salesLocationId: null,
  copiedFrom: null,
  revision: 1,
  createdAt: "2026-11-22T10:00:00.000Z",
  updatedAt: "2026-11-22T10:00:00.000Z",
  access: { side: "owner", canEdit: true, canShare: true, canCopy: true, canViewActivity: true },
  publicLink: { enabled: false, url: null },
};

/** One upload the test drives by hand: report progress, finish, fail; it rejects by itself when aborted. */
interface PendingUpload {
  readonly fileName: string;
  readonly options: UploadOptions | undefined;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

function uploadsByHand() {
  const pending: PendingUpload[] = [];
  const uploadDocument = vi.fn((_certId: string, file: Blob, fileName: string, options?: UploadOptions) =>
    new Promise<UploadResult>((resolve, reject) => {
      options?.signal?.addEventListener("abort", () => {
        reject(new DOMException("The upload was cancelled.", "AbortError"));
      });
      pending.push({
        fileName,
        options,
        resolve: () => {
          resolve({ documentId: "00000000-0000-4000-8000-0000000d0001", version: 1, sha256: "x", size: file.size });
        },
        reject,
      });
    }),
  );
  const upload = (fileName: string): PendingUpload => {
    const found = pending.filter((p) => p.fileName === fileName).at(-1);
    if (!found) throw new Error(`no upload of ${fileName} started`);
    return found;
  };
  return { uploadDocument, upload, pending };
}

function renderCreate(options: { api: ApiClient; host?: FakeHost; onCreated?: (id: string) => void }) {
  const host = options.host ?? new FakeHost({ mailbox: sampleMailbox, initialItemKey: "msg-mill-certs" });
  const onCreated = options.onCreated ?? vi.fn();
  const onCancel = vi.fn();
  renderInPane(<CreateCertView onCreated={onCreated} onCancel={onCancel} />, { host, api: options.api });
  return { host, onCreated, onCancel };
}

const field = (label: string) => screen.getByLabelText<HTMLInputElement>(label, { exact: false });
const meApi = (me: Me = adaMe) => ({ getMe: () => Promise.resolve(me), listLocations: () => Promise.resolve({ items: [] }) });

async function createWithBothFiles(hand: ReturnType<typeof uploadsByHand>, createCert = vi.fn(() => Promise.resolve(newCert))) {
  const onCreated = vi.fn();
  renderCreate({ api: fakeApi({ ...meApi(), createCert, uploadDocument: hand.uploadDocument }), onCreated });
  fireEvent.click(await screen.findByRole("button", { name: "Create" }));
  await waitFor(() => {
    expect(hand.pending).toHaveLength(2);
  });
  return { onCreated, createCert };
}

afterEach(() => {
  cleanup();
});

describe("prefill extractor", () => {
  it("finds PO, heat and cert numbers in the usual forms", () => {
    expect(extractReferences("Certs for PO 4512, heat 8H1234")).toMatchObject({ poNumbers: ["4512"], heatNumbers: ["8H1234"], certNumbers: [] });
    expect(extractReferences("heats 8H1234, 8H1235 and 8h1236; P.O. no. 77-12. heat 8H1234")).toMatchObject({ poNumbers: ["77-12"], heatNumbers: ["8H1234", "8H1235", "8h1236"] });
    expect(extractReferences("Certificate no. BSM-2026-11873 and cert # X-1. Certificates for heat treatment.")).toMatchObject({ certNumbers: ["BSM-2026-11873", "X-1"], heatNumbers: [] });
    expect(extractReferences("the EN 10204 3.1 certificates").standard).toBe("EN 10204 3.1");
    expect(extractReferences("No references here, just a purchase of 40 t.")).toEqual({ poNumbers: [], heatNumbers: [], certNumbers: [], standard: "" });
  });

  it("takes the title from the subject without reply prefixes, and splits lists", () => {
    expect(stripReplyPrefixes("RE: SV: Fwd: Certs for PO 4512")).toBe("Certs for PO 4512");
    expect(prefillFromEmail("RE: Certs", "PO 9920").poNumbers).toEqual(["9920"]);
    expect(splitList(" 4512, ,4513;4514 ")).toEqual(["4512", "4513", "4514"]);
  });

  it("has English and Swedish catalogs with the same keys", () => {
    const keys = (o: object): string[] => Object.entries(o).flatMap(([k, v]) => (typeof v === "object" && v !== null ? keys(v as object).map((s) => `${k}.${s}`) : [k]));
    expect(keys(createCatalogs.sv)).toEqual(keys(createCatalogs.en));
  });
});

describe("create from attachments", () => {
  it("lists the attachments with PDFs checked and pre-fills the form from the email", async () => {
    renderCreate({ api: fakeApi(meApi()) });
    const attachments = await screen.findByTestId("create-attachments");
    expect(within(attachments).getByRole("checkbox", { name: new RegExp(fileA) })).toHaveProperty("checked", true);
    expect(within(attachments).getByRole("checkbox", { name: new RegExp(fileB) })).toHaveProperty("checked", true);
    expect(field("Title").value).toBe("Inspection certificates, delivery 7781 (heats 8H1234, 8H1235)");
    expect(field("Heat numbers").value).toBe("8H1234, 8H1235");
    expect(field("PO numbers").value).toBe("");
    expect(field("Standard").value).toBe("EN 10204 3.1");
  });

  it("creates the cert, reports each file's upload progress, and calls onCreated when all are uploaded", async () => {
    const hand = uploadsByHand();
    const { onCreated, createCert } = await createWithBothFiles(hand);
    expect(createCert).toHaveBeenCalledWith({
      title: newCert.title,
      poNumbers: [],
      heatNumbers: ["8H1234", "8H1235"],
      certNumbers: [],
      standard: "EN 10204 3.1",
    });
    expect(hand.uploadDocument.mock.calls.map((c) => [c[0], c[1].type, c[2]])).toEqual([
      [newCert.id, "application/pdf", fileA],
      [newCert.id, "application/pdf", fileB],
    ]);
    act(() => {
      hand.upload(fileA).options?.onProgress?.(40, 100);
    });
    const bar = screen.getByRole("progressbar", { name: fileA });
    expect(bar.getAttribute("aria-valuenow")).toBe("0.4");
    expect(screen.getByText("40% uploaded")).toBeTruthy();

    act(() => {
      hand.upload(fileA).resolve();
    });
    await screen.findByText("Uploaded");
    expect(onCreated).not.toHaveBeenCalled();
    act(() => {
      hand.upload(fileB).resolve();
    });
    await waitFor(() => {
      expect(onCreated).toHaveBeenCalledWith(newCert.id);
    });
    expect(onCreated).toHaveBeenCalledTimes(1);
  });

  it("cancels one file, finishes the other, and lets the user finish without the cancelled one", async () => {
    const hand = uploadsByHand();
    const { onCreated } = await createWithBothFiles(hand);
    fireEvent.click(screen.getByRole("button", { name: `Cancel upload of ${fileA}` }));
    await screen.findByText("Cancelled");
    expect(hand.upload(fileA).options?.signal?.aborted).toBe(true);
    expect(hand.upload(fileB).options?.signal?.aborted).toBe(false);
    act(() => {
      hand.upload(fileB).resolve();
    });
    fireEvent.click(await screen.findByRole("button", { name: "Finish" }));
    expect(onCreated).toHaveBeenCalledWith(newCert.id);
  });

  it("cancels every running upload with Cancel all", async () => {
    const hand = uploadsByHand();
    await createWithBothFiles(hand);
    fireEvent.click(screen.getByRole("button", { name: "Cancel all" }));
    await waitFor(() => {
      expect(screen.getAllByText("Cancelled")).toHaveLength(2);
    });
    expect(hand.pending.every((p) => p.options?.signal?.aborted)).toBe(true);
  });

  it("shows a failed file with its Problem and uploads it again on Retry", async () => {
    const hand = uploadsByHand();
    const { onCreated } = await createWithBothFiles(hand);
    act(() => {
      hand.upload(fileA).reject(new ApiError({ type: problemTypes.payloadTooLarge, title: "The file is too large", status: 413 }));
      hand.upload(fileB).resolve();
    });
    expect((await screen.findByRole("alert")).textContent).toBe("Failed: The file is too large");
    fireEvent.click(screen.getByRole("button", { name: `Retry upload of ${fileA}` }));
    await waitFor(() => {
      expect(hand.pending).toHaveLength(3);
    });
    act(() => {
      hand.upload(fileA).resolve();
    });
    await waitFor(() => {
      expect(onCreated).toHaveBeenCalledWith(newCert.id);
    });
    expect(hand.uploadDocument).toHaveBeenCalledTimes(3);
  });

  it("keeps the uploads on screen when the user selects another email", async () => {
    const hand = uploadsByHand();
    const host = new FakeHost({ mailbox: sampleMailbox, initialItemKey: "msg-mill-certs" });
    const onCreated = vi.fn();
    renderCreate({ host, api: fakeApi({ ...meApi(), createCert: () => Promise.resolve(newCert), uploadDocument: hand.uploadDocument }), onCreated });
    fireEvent.click(await screen.findByRole("button", { name: "Create" }));
    await waitFor(() => {
      expect(hand.pending).toHaveLength(2);
    });
    act(() => {
      host.select("msg-po-4512");
    });
    expect(screen.getByTestId("create-uploads")).toBeTruthy();
    act(() => {
      hand.upload(fileA).resolve();
      hand.upload(fileB).resolve();
    });
    await waitFor(() => {
      expect(onCreated).toHaveBeenCalledWith(newCert.id);
    });
  });

  it("says so when an attachment cannot be read from the email", async () => {
    const mill = sampleMailbox.find((m) => m.item.key === "msg-mill-certs");
    if (!mill?.attachmentContent) throw new Error("sample mailbox changed");
    const onlyA = { ...mill, attachmentContent: { "att-bsm-11873": mill.attachmentContent["att-bsm-11873"] ?? new Uint8Array() } };
    const host = new FakeHost({ mailbox: [onlyA], initialItemKey: "msg-mill-certs" });
    const hand = uploadsByHand();
    renderCreate({ host, api: fakeApi({ ...meApi(), createCert: () => Promise.resolve(newCert), uploadDocument: hand.uploadDocument }) });
    fireEvent.click(await screen.findByRole("button", { name: "Create" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Failed: The attachment couldn't be read from the email. Select the email again, then retry.");
    expect(hand.pending.map((p) => p.fileName)).toEqual([fileA]);
  });

  it("asks for an email when none is open or one is being written", async () => {
    const host = new FakeHost({ mailbox: sampleMailbox, initialItemKey: "draft-reply-4512" });
    renderCreate({ host, api: fakeApi(meApi()) });
    expect(await screen.findByText("Open an email to create a SmartCert from its attachments.")).toBeTruthy();
    expect(screen.queryByTestId("create-cert-form")).toBeNull();
  });

  it("shows the server's validation messages next to the fields", async () => {
    const createCert = vi.fn(() =>
      Promise.reject(
        new ApiError({
          type: problemTypes.validation,
          title: "The request is not valid",
          status: 400,
          errors: [{ path: "heatNumbers.1", message: "Too long" }],
        }),
      ),
    );
    renderCreate({ api: fakeApi({ ...meApi(), createCert }) });
    fireEvent.click(await screen.findByRole("button", { name: "Create" }));
    expect(await screen.findByText("Too long")).toBeTruthy();
    expect(field("Heat numbers").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByTestId("pane-error").textContent).toContain("The request is not valid");
  });

  it("offers the user's own locations as Sales Location and sends the chosen one", async () => {
    const home = { id: "00000000-0000-4000-8000-000000000011", orgId: adaMe.org.id, name: "Gothenburg", city: "Göteborg", country: null };
    const mill = { id: "00000000-0000-4000-8000-000000000012", orgId: adaMe.org.id, name: "Luleå mill", city: null, country: null };
    const other = { id: "00000000-0000-4000-8000-000000000013", orgId: adaMe.org.id, name: "Not mine", city: null, country: null };
    const twoLocations: Me = { ...adaMe, user: { ...adaMe.user, locationIds: [home.id, mill.id] } };
    const createCert = vi.fn(() => Promise.resolve(newCert));
    const host = new FakeHost({ mailbox: sampleMailbox, initialItemKey: "msg-po-4512" });
    renderCreate({ host, api: fakeApi({ getMe: () => Promise.resolve(twoLocations), listLocations: () => Promise.resolve({ items: [home, mill, other] }), createCert }) });
    const select = await screen.findByRole<HTMLSelectElement>("combobox", { name: /Sales Location/ });
    await waitFor(() => {
      expect([...select.options].map((o) => o.text)).toEqual(["All my locations", "Gothenburg (Göteborg)", "Luleå mill"]);
    });
    fireEvent.change(select, { target: { value: mill.id } });
    fireEvent.click(screen.getByRole("button", { name: "Create" }));
    await waitFor(() => {
      expect(createCert).toHaveBeenCalledWith({ title: "Certs for PO 4512, heat 8H1234", poNumbers: ["4512"], heatNumbers: ["8H1234"], certNumbers: [], salesLocationId: mill.id });
    });
  });

  it("asks for a title before calling the API", async () => {
    const createCert = vi.fn();
    renderCreate({ api: fakeApi({ ...meApi(), createCert }) });
    fireEvent.change(await screen.findByRole("textbox", { name: /Title/ }), { target: { value: "  " } });
    fireEvent.click(screen.getByRole("button", { name: "Create" }));
    expect(await screen.findByText("Give the cert a title.")).toBeTruthy();
    expect(createCert).not.toHaveBeenCalled();
  });

  it("explains to a user without Writer that they cannot create certs", async () => {
    const reader: Me = { ...adaMe, user: { ...adaMe.user, roles: [] } };
    const { onCancel } = renderCreate({ api: fakeApi(meApi(reader)) });
    expect((await screen.findByTestId("create-not-writer")).textContent).toContain("needs the Writer privilege");
    expect(screen.queryByTestId("create-cert-form")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(onCancel).toHaveBeenCalled();
  });

  it("hides the attachments and says why when the host cannot read them, and creates without documents", async () => {
    const host = new FakeHost({ mailbox: sampleMailbox, initialItemKey: "msg-mill-certs", capabilities: { attachmentContent: false } });
    const createCert = vi.fn(() => Promise.resolve(newCert));
    const { onCreated } = renderCreate({ host, api: fakeApi({ ...meApi(), createCert }) });
    expect((await screen.findByTestId("create-no-attachment-access")).textContent).toContain("doesn't let SmartCert read attachments");
    expect(screen.queryByTestId("create-attachments")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Create" }));
    await waitFor(() => {
      expect(onCreated).toHaveBeenCalledWith(newCert.id);
    });
  });

  it("speaks Swedish when the pane does", async () => {
    const host = new FakeHost({ mailbox: sampleMailbox, initialItemKey: "msg-po-4512" });
    renderInPane(<CreateCertView onCreated={vi.fn()} onCancel={vi.fn()} />, { host, api: fakeApi(meApi()), locale: "sv" });
    expect(await screen.findByRole("button", { name: "Skapa" })).toBeTruthy();
    expect(screen.getByLabelText<HTMLInputElement>("Ordernummer (PO)").value).toBe("4512");
  });
});
