import { describe, expect, it } from "vitest";
import { admitMessage } from "../../extension/background/message-gate";

/** Which runtime messages the service worker answers, and for whom (extension/background/message-gate.ts). */
const context = { extensionId: "nhandgimipmpebjeeiakalnffofbppba", sidebarUrl: "chrome-extension://nhandgimipmpebjeeiakalnffofbppba/sidebar.html" };
const tab = { id: 7, index: 0, highlighted: false, active: true, pinned: false, incognito: false };
const sidebar = { id: context.extensionId, url: `${context.sidebarUrl}#5a8c3f0e-1b2d-4c6e-8f00-112233445566`, tab };
const contentScript = { id: context.extensionId, url: "https://mail.google.com/mail/u/0/#inbox/FMfcgzQXJWDsKmJhNQpBbbXfKrNnpQrk", tab };

describe("service worker message gate", () => {
  it("answers token and sign-in requests from the sidebar page only", () => {
    for (const type of ["auth/get-token", "auth/get-account", "auth/sign-in", "auth/sign-out"] as const) {
      expect(admitMessage({ type }, sidebar, context)).toEqual({ accept: true, request: { type } });
      // A content script runs inside Gmail's renderer: it never gets a token.
      expect(admitMessage({ type }, contentScript, context)).toEqual({ accept: false, reason: `dropped ${type} from an unexpected sender.` });
    }
  });

  it("refuses other extensions, other pages of this one, and look-alike URLs", () => {
    expect(admitMessage({ type: "auth/get-token" }, { ...sidebar, id: "aaaabbbbccccddddeeeeffffgggghhhh" }, context).accept).toBe(false);
    expect(admitMessage({ type: "auth/get-token" }, { id: context.extensionId, url: `chrome-extension://${context.extensionId}/other.html` }, context).accept).toBe(false);
    expect(admitMessage({ type: "auth/get-token" }, { id: context.extensionId, url: `${context.sidebarUrl}.evil` }, context).accept).toBe(false);
    expect(admitMessage({ type: "auth/get-token" }, { id: context.extensionId }, context).accept).toBe(false);
  });

  it("takes view-miss reports from the Gmail content script only", () => {
    const report = { type: "diagnostics/view-miss", reason: "no message found", view: "thread" };
    expect(admitMessage(report, contentScript, context)).toEqual({ accept: true, request: report });
    expect(admitMessage(report, { ...contentScript, url: "https://mail.google.com.evil.example/" }, context).accept).toBe(false);
    expect(admitMessage(report, { ...contentScript, tab: undefined }, context).accept).toBe(false);
  });

  it("drops malformed and unknown messages without echoing them", () => {
    for (const message of [null, "auth/get-token", { type: "auth/steal" }, { type: "diagnostics/view-miss", reason: "x".repeat(201), view: "thread" }, { type: "auth/sign-in", forceAccountChoice: "yes" }]) {
      expect(admitMessage(message, sidebar, context)).toEqual({ accept: false, reason: "dropped a malformed message." });
    }
  });
});
