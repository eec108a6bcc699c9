import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, type ApiClient } from "../../shared/api/client";
import { FakeHost, createFakeAuth } from "../../shared/host/fake-host";
import { SettingsView } from "../../shared/pane/settings/SettingsView";
import { settingsCatalogs } from "../../shared/pane/settings/strings";
import type { InviteUserBody, Location, Me, UpdateUserBody, User } from "../../shared/protocol/organizations";
import { problemTypes } from "../../shared/protocol/problem";
import { sampleMailbox } from "../../shared/playground/sample-mailbox";
import { fakeApi, renderInPane } from "./fake-api";
import { adaMe } from "./fixtures";

const orgId = adaMe.org.id;
const gothenburg: Location = { id: "00000000-0000-4000-8000-000000000011", orgId, name: "Gothenburg", city: "Göteborg", country: "SE" };
const lulea: Location = { id: "00000000-0000-4000-8000-000000000012", orgId, name: "Luleå mill", city: null, country: null };
const ada: User = { id: adaMe.user.id, orgId, displayName: "Ada Admin", roles: ["admin", "writer"], locationIds: [gothenburg.id], status: "active", email: "ada.admin@demo-metals.example" };
const bo: User = { id: "00000000-0000-4000-8000-000000000102", orgId, displayName: "Bo Berg", roles: [], locationIds: [gothenburg.id], status: "invited", email: "bo.berg@demo-metals.example" };

function renderSettings(api: ApiClient, options: { locale?: "en" | "sv"; host?: FakeHost } = {}) {
  const host = options.host ?? new FakeHost({ mailbox: sampleMailbox, auth: createFakeAuth({ signedIn: true }) });
  renderInPane(<SettingsView />, { host, api, ...(options.locale ? { locale: options.locale } : {}) });
  return host;
}

/** An admin's API: getMe, lists, and whatever else the test adds. */
function adminApi(more: Partial<ApiClient> = {}, users: User[] = [ada, bo]) {
  const listUsers = vi.fn(() => Promise.resolve({ items: users }));
  const listLocations = vi.fn(() => Promise.resolve({ items: [gothenburg, lulea] }));
  return { api: fakeApi({ getMe: () => Promise.resolve(adaMe), listUsers, listLocations, ...more }), listUsers, listLocations };
}

const userRow = async (name: string) => screen.findByRole("listitem", { name });

afterEach(() => {
  cleanup();
});

describe("settings", () => {
  it("shows a non-admin only their account, and signs out", async () => {
    const writer: Me = { ...adaMe, user: { ...adaMe.user, displayName: "Wanda Writer", roles: ["writer"] } };
    const listUsers = vi.fn();
    const host = new FakeHost({ mailbox: sampleMailbox, auth: createFakeAuth({ signedIn: true }) });
    const signOut = vi.spyOn(host.auth, "signOut");
    renderSettings(fakeApi({ getMe: () => Promise.resolve(writer), listUsers }), { host });

    expect((await screen.findByTestId("settings-display-name")).textContent).toBe("Wanda Writer");
    expect(screen.getByTestId("settings-org-name").textContent).toBe("Demo Metals");
    expect(screen.getByRole("list", { name: "Roles" }).textContent).toBe("Writer");
    expect(screen.queryByTestId("settings-locations")).toBeNull();
    expect(screen.queryByTestId("settings-users")).toBeNull();
    expect(listUsers).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole("button", { name: "Sign out" }));
    await waitFor(() => {
      expect(signOut).toHaveBeenCalledTimes(1);
    });
  });

  it("shows an admin the locations and the users with their status", async () => {
    renderSettings(adminApi().api);
    const locations = await screen.findByTestId("settings-location-list");
    expect(locations.textContent).toContain("Gothenburg — Göteborg, SE");
    expect(locations.textContent).toContain("Luleå mill");
    const row = await userRow("Bo Berg");
    expect(row.textContent).toContain("Invited");
    expect(row.textContent).toContain("bo.berg@demo-metals.example");
    expect((await userRow("Ada Admin")).textContent).toContain("Active");
  });

  it("invites a user with privileges and locations, and reloads the list", async () => {
    const inviteUser = vi.fn((body: InviteUserBody) =>
      Promise.resolve<User>({ id: "00000000-0000-4000-8000-000000000103", orgId, displayName: body.displayName ?? body.email, roles: body.roles, locationIds: body.locationIds, status: "invited", email: body.email }),
    );
    const { api, listUsers } = adminApi({ inviteUser });
    renderSettings(api);
    const form = await screen.findByTestId("settings-invite");
    fireEvent.change(within(form).getByLabelText(/Email address/), { target: { value: " cy.chen@demo-metals.example " } });
    fireEvent.change(within(form).getByLabelText(/^Name/), { target: { value: "Cy Chen" } });
    fireEvent.click(within(form).getByRole("checkbox", { name: "Writer" }));
    fireEvent.click(within(form).getByRole("button", { name: "Invite" }));
    expect((await within(form).findByRole("alert")).textContent).toBe("Choose at least one location.");
    expect(inviteUser).not.toHaveBeenCalled();

    fireEvent.click(within(form).getByRole("checkbox", { name: "Luleå mill" }));
    fireEvent.click(within(form).getByRole("button", { name: "Invite" }));
    await waitFor(() => {
      expect(inviteUser).toHaveBeenCalledTimes(1);
    });
    expect(inviteUser.mock.calls[0]?.[0]).toEqual({ email: "cy.chen@demo-metals.example", displayName: "Cy Chen", roles: ["writer"], locationIds: [lulea.id] });
    expect((await within(form).findByRole("status")).textContent).toBe("cy.chen@demo-metals.example was invited.");
    await waitFor(() => {
      expect(listUsers).toHaveBeenCalledTimes(2);
    });
  });

  it("gives a user the Writer privilege with updateUser", async () => {
    const updateUser = vi.fn((id: string, body: UpdateUserBody) => Promise.resolve<User>({ ...bo, id, roles: body.roles ?? bo.roles }));
    renderSettings(adminApi({ updateUser }).api);
    const writer = within(await userRow("Bo Berg")).getByRole("switch", { name: "Writer: Bo Berg" });
    expect(writer).toHaveProperty("checked", false);
    fireEvent.click(writer);
    await waitFor(() => {
      expect(updateUser).toHaveBeenCalledWith(bo.id, { roles: ["writer"] });
    });
    await waitFor(() => {
      expect(within(screen.getByRole("listitem", { name: "Bo Berg" })).getByRole("switch", { name: "Writer: Bo Berg" })).toHaveProperty("checked", true);
    });
  });

  it("changes a user's locations, never leaving none", async () => {
    const updateUser = vi.fn((id: string, body: UpdateUserBody) => Promise.resolve<User>({ ...bo, id, locationIds: body.locationIds ?? bo.locationIds }));
    renderSettings(adminApi({ updateUser }).api);
    const row = await userRow("Bo Berg");
    expect(within(row).getByRole("checkbox", { name: "Gothenburg" })).toHaveProperty("disabled", true);
    fireEvent.click(within(row).getByRole("checkbox", { name: "Luleå mill" }));
    await waitFor(() => {
      expect(updateUser).toHaveBeenCalledWith(bo.id, { locationIds: [gothenburg.id, lulea.id] });
    });
  });

  it("shows the 409 title when the last admin would lose Admin", async () => {
    const updateUser = vi.fn(() => Promise.reject(new ApiError({ type: problemTypes.conflict, title: "An organization needs at least one admin", status: 409, detail: "Make another user an admin first." })));
    renderSettings(adminApi({ updateUser }).api);
    const row = await userRow("Ada Admin");
    fireEvent.click(within(row).getByRole("switch", { name: "Admin: Ada Admin" }));
    expect((await within(row).findByTestId("pane-error")).textContent).toContain("An organization needs at least one admin");
    expect(updateUser).toHaveBeenCalledWith(ada.id, { roles: ["writer"] });
    expect(within(row).getByRole("switch", { name: "Admin: Ada Admin" })).toHaveProperty("checked", true);
  });

  it("adds a location", async () => {
    const createLocation = vi.fn(() => Promise.resolve<Location>({ id: "00000000-0000-4000-8000-000000000013", orgId, name: "Malmö", city: null, country: null }));
    const { api, listLocations } = adminApi({ createLocation });
    renderSettings(api);
    const form = await screen.findByTestId("settings-add-location");
    fireEvent.change(within(form).getByLabelText(/^Name/), { target: { value: "Malmö" } });
    fireEvent.change(within(form).getByLabelText(/^Country/), { target: { value: "SE" } });
    fireEvent.click(within(form).getByRole("button", { name: "Add location" }));
    await waitFor(() => {
      expect(createLocation).toHaveBeenCalledWith({ name: "Malmö", country: "SE" });
    });
    expect((await within(form).findByRole("status")).textContent).toBe("Malmö was added.");
    await waitFor(() => {
      expect(listLocations.mock.calls.length).toBeGreaterThan(1);
    });
  });

  it("shows empty and error states with Retry", async () => {
    let fail = true;
    const listLocations = vi.fn(() =>
      fail ? Promise.reject(new ApiError({ type: problemTypes.unavailable, title: "Service unavailable", status: 503 })) : Promise.resolve({ items: [] }),
    );
    renderSettings(fakeApi({ getMe: () => Promise.resolve(adaMe), listLocations, listUsers: () => Promise.resolve({ items: [] }) }));
    const locations = await screen.findByTestId("settings-locations");
    expect((await within(locations).findByTestId("pane-error")).textContent).toContain("Service unavailable");
    fail = false;
    fireEvent.click(within(locations).getByRole("button", { name: "Retry" }));
    expect(await within(locations).findByText(/no locations yet/)).toBeTruthy();
    expect(await screen.findByText("No users yet. Invite someone below.")).toBeTruthy();
    expect(screen.getByText("Add a location before inviting users.")).toBeTruthy();
  });

  it("speaks Swedish, with complete catalogs", async () => {
    renderSettings(fakeApi({ getMe: () => Promise.resolve({ ...adaMe, user: { ...adaMe.user, roles: [] } }) }), { locale: "sv" });
    expect(await screen.findByRole("button", { name: "Logga ut" })).toBeTruthy();
    expect(screen.getByRole("list", { name: "Roller" }).textContent).toBe("Läsare (endast läsning)");
    const keys = (o: object): string[] => Object.entries(o).flatMap(([k, v]) => (typeof v === "object" && v !== null ? keys(v as object).map((s) => `${k}.${s}`) : [k]));
    expect(keys(settingsCatalogs.sv)).toEqual(keys(settingsCatalogs.en));
  });
});
