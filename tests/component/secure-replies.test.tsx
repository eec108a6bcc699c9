import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FakeHost } from "../../shared/host/fake-host";
import type { SentMessageDto, SentReplyDto } from "../../shared/protocol/messages";
import SentSecurelyView from "../../shared/secure/SentSecurelyView";
import { fakeApi, renderInPane } from "./fake-api";
import { sampleMailbox } from "./pane-fakes";

/** "Sent securely" shows each message's secure replies: how many, from whom, status, opens, Revoke. */
const reply = (overrides: Partial<SentReplyDto> = {}): SentReplyDto => ({
  id: "7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f",
  status: "active",
  createdAt: "2026-11-22T12:00:00.000Z",
  expiresAt: "2026-11-29T12:00:00.000Z",
  maxOpens: null,
  openCount: 0,
  from: "rita@customer.example",
  ...overrides,
});
const sent = (replies: SentReplyDto[]): SentMessageDto => ({
  id: "0b9f6c3e-5d7a-4c1e-9a8b-2f4e6d8c0a1b",
  url: "http://localhost:3000/m/0b9f6c3e-5d7a-4c1e-9a8b-2f4e6d8c0a1b",
  status: "revoked",
  createdAt: "2026-11-22T10:00:00.000Z",
  expiresAt: "2026-11-29T10:00:00.000Z",
  maxOpens: null,
  openCount: 1,
  recipients: ["rita@customer.example"],
  passphraseRequired: false,
  partCount: 2,
  ciphertextBytes: 1000,
  revokedAt: "2026-11-22T13:00:00.000Z",
  opens: [],
  replies,
});

const host = () => new FakeHost({ mailbox: sampleMailbox() });
afterEach(cleanup);

describe("Sent securely: replies", () => {
  it("counts the replies of a (revoked) message, says who and whether each was opened, and revokes one", async () => {
    let replies = [reply(), reply({ id: "8d2e3f4a-5b6c-4d7e-9f0a-1b2c3d4e5f60", from: null, openCount: 2 })];
    const revokeMessage = vi.fn((id: string) => {
      replies = replies.map((r) => (r.id === id ? { ...r, status: "revoked" as const } : r));
      return Promise.resolve({ ...sent([]), id });
    });
    renderInPane(<SentSecurelyView />, { host: host(), api: fakeApi({ listSentMessages: () => Promise.resolve({ items: [sent(replies)] }), revokeMessage }) });
    const section = await screen.findByRole("region", { name: "2 secure replies" });
    expect(within(section).getByText(/Reply from rita@customer\.example/)).toBeTruthy();
    expect(within(section).getByText(/not opened yet/)).toBeTruthy();
    expect(within(section).getByText(/Reply received .* opened 2 times/)).toBeTruthy();
    const first = within(section).getByRole("listitem", { name: `reply ${replies[0]?.id ?? ""}` });
    fireEvent.click(within(first).getByRole("button", { name: "Revoke reply" }));
    await waitFor(() => { expect(within(first).getByText("Revoked")).toBeTruthy(); });
    expect(revokeMessage).toHaveBeenCalledWith(replies[0]?.id);
    expect(within(first).queryByRole("button", { name: "Revoke reply" })).toBeNull();
  });

  it("shows nothing for a message without replies, and speaks Swedish", async () => {
    renderInPane(<SentSecurelyView />, { host: host(), api: fakeApi({ listSentMessages: () => Promise.resolve({ items: [sent([]), { ...sent([reply()]), id: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d" }] }) }), locale: "sv" });
    expect(await screen.findByRole("region", { name: "1 säkert svar" })).toBeTruthy();
    expect(screen.getAllByRole("region")).toHaveLength(1);
    expect(screen.getByText(/Svar från rita@customer\.example/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Återkalla svaret" })).toBeTruthy();
  });
});
