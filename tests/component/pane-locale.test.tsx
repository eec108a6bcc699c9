import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeHost, createFakeAuth } from "../../shared/host/fake-host";
import { App, createPaneQueryClient } from "../../shared/pane/App";
import { loadAllPaneViews } from "../../shared/pane/shell/lazy-views";
import { catalogs, resolveLocale } from "../../shared/pane/strings";
import { Playground } from "../../shared/playground/Playground";
import { sampleMailbox } from "../../shared/playground/sample-mailbox";
import { adaMe } from "./fixtures";
import { fakeApi } from "./fake-api";

// The views' code is split off (lazy-views.ts); loaded up front, tests wait on data, not on imports.
beforeAll(loadAllPaneViews);

afterEach(() => {
  cleanup();
});

describe("pane language from the host", () => {
  it("resolves BCP 47 tags to the catalogs it has", () => {
    expect(resolveLocale("sv-SE")).toBe("sv");
    expect(resolveLocale("SV")).toBe("sv");
    expect(resolveLocale("de-DE")).toBe("en");
    expect(resolveLocale(undefined)).toBe("en");
  });

  it("renders Swedish when the host says sv-SE", async () => {
    const host = new FakeHost({ mailbox: sampleMailbox, initialItemKey: null, auth: createFakeAuth(), locale: "sv-SE" });
    render(<App host={host} api={fakeApi({})} queryClient={createPaneQueryClient()} />);
    expect(await screen.findByRole("button", { name: catalogs.sv.signedOut.signIn })).toBeTruthy();
    expect(catalogs.sv.signedOut.signIn).toBe("Logga in");
    expect(screen.getByRole("heading", { name: "Logga in på SmartCert" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Sign in" })).toBeNull();
  });

  it("renders the signed-in tabs in Swedish, including the settings catalog", async () => {
    const host = new FakeHost({ mailbox: sampleMailbox, initialItemKey: null, auth: createFakeAuth({ signedIn: true }), locale: "sv-SE", theme: "dark" });
    const api = fakeApi({ getMe: () => Promise.resolve(adaMe) });
    render(<App host={host} api={api} queryClient={createPaneQueryClient()} />);
    expect(await screen.findByRole("tab", { name: "Certifikat" })).toBeTruthy();
    expect(screen.getByRole("tab", { name: "Inställningar" })).toBeTruthy();
    expect(screen.getByRole("tab", { name: "Det här mejlet" })).toBeTruthy();
  });

  it("falls back to English for a language it does not have", async () => {
    const host = new FakeHost({ mailbox: sampleMailbox, initialItemKey: null, auth: createFakeAuth(), locale: "fi-FI" });
    render(<App host={host} api={fakeApi({})} queryClient={createPaneQueryClient()} />);
    expect(await screen.findByRole("button", { name: "Sign in" })).toBeTruthy();
  });
});

describe("playground language and theme switches", () => {
  it("switches the host to Swedish and dark, and the pane follows", async () => {
    const host = new FakeHost({ mailbox: sampleMailbox, initialItemKey: null, auth: createFakeAuth() });
    render(<Playground host={host} api={fakeApi({})} />);
    await screen.findByRole("button", { name: "Sign in" });

    fireEvent.change(screen.getByRole("combobox", { name: "Language" }), { target: { value: "sv-SE" } });
    fireEvent.change(screen.getByRole("combobox", { name: "Theme" }), { target: { value: "dark" } });
    expect(host.locale).toBe("sv-SE");
    expect(host.theme).toBe("dark");
    expect(await screen.findByRole("button", { name: "Logga in" })).toBeTruthy();

    fireEvent.change(screen.getByRole("combobox", { name: "Language" }), { target: { value: "en-GB" } });
    expect(await screen.findByRole("button", { name: "Sign in" })).toBeTruthy();
  });
});
