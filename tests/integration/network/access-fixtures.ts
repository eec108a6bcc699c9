import { randomUUID } from "node:crypto";
import type { LightMyRequestResponse } from "fastify";
import type { Cert, CertAccess } from "../../../shared/protocol/certs";
import type { NetworkWorld, WorldUser } from "../../support/network-world";
import { bearer } from "../../support/test-app";

/**
 * The cast and the tables of the access matrix (DESIGN §2). `buildScenario` plays a fixed history
 * through the API; the tables say, row by row, what each person may then do with each cert.
 */
export const USER_KEYS = [
  "millWriter", "northWriter", "northReader", "southWriter", "eastWriter", "lateJoiner", "leaver", "linkLeaver",
  "buyerWriter", "buyerReader", "buyerOffice", "buyerNone", "linkWriter", "linkReader", "lateLinker", "previewer",
] as const;
export type UserKey = (typeof USER_KEYS)[number];
export type LocationKey = "north" | "south" | "east" | "yard" | "office" | "dock" | "sink";
export type CertKey = "plate" | "sales" | "personal" | "linked" | "unlinked" | "copy";

export interface Scenario {
  users: Record<UserKey, WorldUser>;
  /** Each user's locations as they stand after the history (membership changes included). */
  memberships: Record<UserKey, LocationKey[]>;
  locations: Record<LocationKey, string>;
  certs: Record<CertKey, string>;
  /** The document "a.txt" of each cert (its first document) and the bytes of each of its versions. */
  docA: Record<CertKey, { id: string; versions: string[] }>;
  /** plate's second document, to tamper a URL of a.txt into one for b.txt. */
  plateDocB: string;
  /** The last public-link token each cert had (certs whose link was never on have none). */
  tokens: Partial<Record<CertKey, string>>;
  /** Whether each cert's public link is on now: the publicLink action re-sends this, changing nothing. */
  linkOn: Record<CertKey, boolean>;
}

/** What a person can do with a cert, as DESIGN §2 says; expanded into one row per action. */
export type Listed = "owned" | "received" | "none";
interface Profile {
  access: CertAccess | null;
  list: Listed;
  statuses: Partial<Record<ProfileAction, number>>;
}
const PROFILE_ACTIONS = ["view", "edit", "share", "publicLink", "copy", "activity", "documentList", "documentUrl", "download"] as const;
type ProfileAction = (typeof PROFILE_ACTIONS)[number];

const ownerAccess = (writer: boolean): CertAccess => ({ side: "owner", canEdit: writer, canShare: writer, canCopy: writer, canViewActivity: true });
const receiverAccess = (writer: boolean): CertAccess => ({ side: "receiver", canEdit: false, canShare: false, canCopy: writer, canViewActivity: false });
const readable = { view: 200, documentList: 200, documentUrl: 200, download: 200 };

export const PROFILES = {
  /** Creator side with Writer: everything. */
  ownerWriter: { access: ownerAccess(true), list: "owned", statuses: { ...readable, edit: 200, share: 201, publicLink: 200, copy: 201, activity: 200 } },
  /** Creator side without Writer: reads, sees the activity, changes nothing. */
  ownerReader: { access: ownerAccess(false), list: "owned", statuses: { ...readable, edit: 403, share: 403, publicLink: 403, copy: 403, activity: 200 } },
  /** Receiver with Writer in their own organization: read-only, but may copy. */
  receiverWriter: { access: receiverAccess(true), list: "received", statuses: { ...readable, edit: 403, share: 403, publicLink: 403, copy: 201, activity: 403 } },
  /** Receiver without Writer: read-only, no copy. */
  receiverReader: { access: receiverAccess(false), list: "received", statuses: { ...readable, edit: 403, share: 403, publicLink: 403, copy: 403, activity: 403 } },
  /** No access: every call answers 404 exactly like an unknown id; the cert is in no list. */
  nothing: { access: null, list: "none", statuses: { view: 404, edit: 404, share: 404, publicLink: 404, copy: 404, activity: 404, documentList: 404, documentUrl: 404 } },
} satisfies Record<string, Profile>;
export type ProfileName = keyof typeof PROFILES;

export type Action =
  | ProfileAction | "list" | "downloadV1" | "qr" | "acceptLink" | "preview"
  | "tamperDocument" | "tamperVersion" | "tamperExpiry" | "unsigned" | "foreignDocumentUrl";

export interface Row {
  name: string;
  rule: string;
  who: UserKey | "anonymous";
  cert: CertKey;
  action: Action;
  expected: number | Listed;
  /** For view rows answered 200. */
  access?: CertAccess;
  title?: string;
  copiedFrom?: CertKey;
  ownerLocations?: LocationKey[];
  /** For documentList rows answered 200: how many documents the cert has. */
  documents?: number;
}
type Extra = Pick<Row, "title" | "copiedFrom" | "ownerLocations" | "documents">;

function named(row: Omit<Row, "name">): Row {
  const expected = typeof row.expected === "number" ? String(row.expected) : `listed ${row.expected}`;
  return { ...row, name: `${row.rule} — ${row.who} ${row.action} ${row.cert} → ${expected}` };
}

/** One row per action of the profile. */
export function profileRows(rule: string, who: UserKey, cert: CertKey, profileName: ProfileName, extra: Extra = {}): Row[] {
  const profile: Profile = PROFILES[profileName];
  const rows: Row[] = [];
  for (const action of PROFILE_ACTIONS) {
    const expected = profile.statuses[action];
    if (expected === undefined) continue;
    if (action === "view") rows.push(named({ rule, who, cert, action, expected, ...(profile.access ? { access: profile.access } : {}), ...extra }));
    else rows.push(named({ rule, who, cert, action, expected, ...(action === "documentList" && extra.documents !== undefined ? { documents: extra.documents } : {}) }));
    if (action === "view") rows.push(named({ rule, who, cert, action: "list", expected: profile.list }));
  }
  return rows;
}

export function row(rule: string, who: UserKey | "anonymous", cert: CertKey, action: Action, expected: number | Listed, extra: Extra = {}): Row {
  return named({ rule, who, cert, action, expected, ...extra });
}

// ---- The history the tables are about ------------------------------------------------------

interface Api {
  w: NetworkWorld;
  call: (as: WorldUser | null, method: "GET" | "POST" | "PATCH" | "PUT", url: string, payload?: object, expected?: number) => Promise<LightMyRequestResponse>;
}

export function api(w: NetworkWorld): Api {
  return {
    w,
    call: async (as, method, url, payload, expected) => {
      const response = await w.request(as, method, url, payload);
      if (expected !== undefined && response.statusCode !== expected) throw new Error(`${method} ${url}: expected ${expected}, got ${response.statusCode} ${response.body}`);
      return response;
    },
  };
}

export async function upload(w: NetworkWorld, as: WorldUser, certId: string, fileName: string, content: string, documentId?: string): Promise<string> {
  const boundary = `----smartcert-${randomUUID()}`;
  const payload = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/plain\r\n\r\n${content}\r\n--${boundary}--\r\n`;
  const response = await w.app.inject({
    method: "POST",
    url: `/api/v1/certs/${certId}/documents${documentId ? `?documentId=${documentId}` : ""}`,
    headers: { ...bearer(as.token), "content-type": `multipart/form-data; boundary=${boundary}` },
    payload,
  });
  if (response.statusCode !== 201) throw new Error(`upload: ${response.statusCode} ${response.body}`);
  return response.json<{ documentId: string }>().documentId;
}

export async function buildScenario(w: NetworkWorld): Promise<Scenario> {
  const { call } = api(w);
  const mill = await w.org("Mill");
  const buyer = await w.org("Buyer");
  const trader = await w.org("Trader");
  const sinkOrg = await w.org("Sink");
  const locations: Record<LocationKey, string> = {
    north: await w.location(mill, "North Works"), south: await w.location(mill, "South Sales"), east: await w.location(mill, "East Yard"),
    yard: await w.location(buyer, "Receiving Yard"), office: await w.location(buyer, "Buyer Office"),
    dock: await w.location(trader, "Dock"), sink: await w.location(sinkOrg, "Share target"),
  };
  const initial: Record<UserKey, [string, boolean, LocationKey[]]> = {
    millWriter: [mill, true, ["north", "south"]], northWriter: [mill, true, ["north"]], northReader: [mill, false, ["north"]],
    southWriter: [mill, true, ["south"]], eastWriter: [mill, true, ["east"]], lateJoiner: [mill, true, ["east"]], leaver: [mill, true, ["north"]], linkLeaver: [mill, true, ["north"]],
    buyerWriter: [buyer, true, ["yard"]], buyerReader: [buyer, false, ["yard"]], buyerOffice: [buyer, true, ["office"]], buyerNone: [buyer, true, ["office"]],
    linkWriter: [trader, true, ["dock"]], linkReader: [trader, false, ["dock"]], lateLinker: [trader, true, ["dock"]], previewer: [trader, true, ["dock"]],
  };
  const users = {} as Record<UserKey, WorldUser>;
  const memberships = {} as Record<UserKey, LocationKey[]>;
  for (const key of USER_KEYS) {
    const [org, writer, locs] = initial[key];
    users[key] = await w.user(org, writer ? ["writer"] : [], locs.map((l) => locations[l]), key);
    memberships[key] = locs;
  }
  const { millWriter } = users;
  const create = async (title: string, salesLocationId?: string) =>
    (await call(millWriter, "POST", "/api/v1/certs", { title, ...(salesLocationId ? { salesLocationId } : {}) }, 201)).json<Cert>().id;
  const certs = {} as Record<CertKey, string>;
  const docA = {} as Record<CertKey, { id: string; versions: string[] }>;
  const withDocument = async (key: CertKey, id: string) => {
    certs[key] = id;
    docA[key] = { id: await upload(w, millWriter, id, "a.txt", `${key} a v1`), versions: [`${key} a v1`] };
  };

  // plate: owned by North and South; a.txt gets a second version, b.txt is a second document.
  await withDocument("plate", await create("Plate S355"));
  await upload(w, millWriter, certs.plate, "a.txt", "plate a v2", docA.plate.id);
  docA.plate.versions.push("plate a v2");
  const plateDocB = await upload(w, millWriter, certs.plate, "b.txt", "plate b v1");
  await call(millWriter, "POST", `/api/v1/certs/${certs.plate}/shares`, { locationId: locations.yard }, 201);
  await call(millWriter, "POST", `/api/v1/certs/${certs.plate}/shares`, { userId: users.buyerOffice.id }, 201);

  // sales: Sales Location South only.
  await withDocument("sales", await create("Sales only", locations.south));

  // personal: shared to the leaver's own account while they are still a North member.
  await withDocument("personal", await create("Personal share"));
  await call(millWriter, "POST", `/api/v1/certs/${certs.personal}/shares`, { userId: users.leaver.id }, 201);

  // Membership changes after creation: the leaver leaves North, the late joiner joins it.
  await w.setMembership(users.leaver, [locations.east]);
  memberships.leaver = ["east"];
  await w.setMembership(users.lateJoiner, [locations.east, locations.north]);
  memberships.lateJoiner = ["east", "north"];

  const tokens: Partial<Record<CertKey, string>> = {};
  const linkOn = async (key: CertKey, enabled: boolean) => {
    const link = (await call(millWriter, "PUT", `/api/v1/certs/${certs[key]}/public-link`, { enabled }, 200)).json<{ url: string | null }>();
    if (link.url) tokens[key] = link.url.split("/p/")[1] ?? "";
  };
  // linked: the public link stays on; two Trader users accept it, the previewer only looks anonymously.
  await withDocument("linked", await create("Linked"));
  await linkOn("linked", true);
  const preview = await w.app.inject({ method: "GET", url: `/p/${tokens.linked ?? ""}` });
  if (preview.statusCode !== 200 || !preview.body.includes("Linked")) throw new Error(`preview: ${preview.statusCode}`);
  await call(users.linkWriter, "POST", "/api/v1/public-links/accept", { token: tokens.linked }, 200);
  await call(users.linkReader, "POST", "/api/v1/public-links/accept", { token: tokens.linked }, 200);
  // A North member opens the link too (they already see the cert), then leaves North.
  await call(users.linkLeaver, "POST", "/api/v1/public-links/accept", { token: tokens.linked }, 200);
  await w.setMembership(users.linkLeaver, [locations.east]);
  memberships.linkLeaver = ["east"];

  // unlinked: accepted by linkWriter, then the link is turned off.
  await withDocument("unlinked", await create("Unlinked"));
  await linkOn("unlinked", true);
  await call(users.linkWriter, "POST", "/api/v1/public-links/accept", { token: tokens.unlinked }, 200);
  await linkOn("unlinked", false);

  // copy: the buyer's writer copies plate, then each side amends its own cert.
  const copy = (await call(users.buyerWriter, "POST", `/api/v1/certs/${certs.plate}/copy`, undefined, 201)).json<Cert>();
  certs.copy = copy.id;
  const copyDocs = (await call(users.buyerWriter, "GET", `/api/v1/certs/${copy.id}/documents`, undefined, 200)).json<{ items: { id: string; versions: { fileName: string }[] }[] }>();
  const copyA = copyDocs.items.find((d) => d.versions.some((v) => v.fileName === "a.txt"));
  if (!copyA) throw new Error("the copy has no a.txt");
  docA.copy = { id: copyA.id, versions: [...docA.plate.versions] };
  await call(users.buyerWriter, "PATCH", `/api/v1/certs/${copy.id}`, { title: "Buyer copy" }, 200);
  await call(millWriter, "PATCH", `/api/v1/certs/${certs.plate}`, { title: "Plate S355 rev 2" }, 200);

  return { users, memberships, locations, certs, docA, plateDocB, tokens, linkOn: { plate: false, sales: false, personal: false, linked: true, unlinked: false, copy: false } };
}

// ---- The tables ------------------------------------------------------------------------------

export const CREATOR_SIDE: Row[] = [
  ...profileRows("creator: member of an owning location, Writer", "millWriter", "plate", "ownerWriter", { ownerLocations: ["north", "south"], title: "Plate S355 rev 2" }),
  ...profileRows("creator side: every member of an owning location", "northWriter", "plate", "ownerWriter"),
  ...profileRows("creator side: member of the other owning location", "southWriter", "plate", "ownerWriter"),
  ...profileRows("creator side without Writer only reads", "northReader", "plate", "ownerReader"),
  ...profileRows("another location of the same organization sees nothing", "eastWriter", "plate", "nothing"),
  ...profileRows("late joiner sees the cert at once", "lateJoiner", "plate", "ownerWriter"),
  ...profileRows("a member who left the location loses creator-side access", "leaver", "plate", "nothing"),
  ...profileRows("Sales Location: owned by that location only", "millWriter", "sales", "ownerWriter", { ownerLocations: ["south"] }),
  ...profileRows("Sales Location: its members see it", "southWriter", "sales", "ownerWriter"),
  ...profileRows("Sales Location: the creator's other location sees nothing", "northWriter", "sales", "nothing"),
  ...profileRows("Sales Location: the creator's other location sees nothing", "northReader", "sales", "nothing"),
  ...profileRows("Sales Location: a late joiner of another location sees nothing", "lateJoiner", "sales", "nothing"),
];

export const RECEIVER_SIDE: Row[] = [
  ...profileRows("receiver via a location share, with Writer", "buyerWriter", "plate", "receiverWriter", { title: "Plate S355 rev 2", documents: 2 }),
  ...profileRows("receiver via a location share, without Writer", "buyerReader", "plate", "receiverReader", { title: "Plate S355 rev 2" }),
  ...profileRows("receiver via a user share (sees the amendment)", "buyerOffice", "plate", "receiverWriter", { title: "Plate S355 rev 2" }),
  ...profileRows("private link: same organization as a receiver, no share", "buyerNone", "plate", "nothing"),
  ...profileRows("receiver via the accepted public link, with Writer", "linkWriter", "linked", "receiverWriter"),
  ...profileRows("receiver via the accepted public link, without Writer", "linkReader", "linked", "receiverReader"),
  ...profileRows("the anonymous preview grants nothing", "previewer", "linked", "nothing"),
  ...profileRows("receiver keeps access after the public link is off", "linkWriter", "unlinked", "receiverWriter"),
  ...profileRows("turning the public link off stops new receivers", "lateLinker", "unlinked", "nothing"),
  ...profileRows("a personal share outlives leaving the location", "leaver", "personal", "receiverWriter"),
  ...profileRows("an opened public link outlives leaving the location", "linkLeaver", "linked", "receiverWriter"),
  ...profileRows("…while creator-side access ends with the membership", "linkLeaver", "plate", "nothing"),
  ...profileRows("creator side of a linked cert", "millWriter", "linked", "ownerWriter"),
];

export const LINKS_AND_QR: Row[] = [
  row("public link: accepting again changes nothing", "linkReader", "linked", "acceptLink", 200),
  row("turning the public link off stops new receivers", "lateLinker", "unlinked", "acceptLink", 404),
  row("turning the public link off stops new receivers", "lateLinker", "unlinked", "view", 404),
  row("the anonymous preview works while the link is on", "anonymous", "linked", "preview", 200),
  row("the anonymous preview is gone once the link is off", "anonymous", "unlinked", "preview", 404),
  row("QR code: creator side, link on", "millWriter", "linked", "qr", 200),
  row("QR code: creator side, link off", "millWriter", "plate", "qr", 409),
  row("QR code: receivers never get the public link", "linkWriter", "linked", "qr", 403),
  row("QR code: nothing for those without access", "previewer", "linked", "qr", 404),
];

export const DOCUMENTS: Row[] = [
  row("documents: the issued URL downloads the latest version", "northReader", "plate", "download", 200),
  row("documents: earlier versions are kept", "northReader", "plate", "downloadV1", 200),
  row("documents: a receiver downloads earlier versions too", "buyerReader", "plate", "downloadV1", 200),
  row("documents: a URL for one document can't fetch another", "millWriter", "plate", "tamperDocument", 403),
  row("documents: a URL for one document can't fetch another", "buyerReader", "plate", "tamperDocument", 403),
  row("documents: a URL for one version can't fetch another", "buyerReader", "plate", "tamperVersion", 403),
  row("documents: a URL with a changed expiry gets nothing", "millWriter", "plate", "tamperExpiry", 403),
  row("documents: an unsigned URL gets nothing", "millWriter", "plate", "unsigned", 403),
  row("documents: only through the cert they belong to", "linkWriter", "linked", "foreignDocumentUrl", 404),
  row("documents: only through the cert they belong to", "leaver", "personal", "foreignDocumentUrl", 404),
];

export const COPIES: Row[] = [
  row("copy: owned by the copier's locations, copiedFrom set", "buyerWriter", "copy", "view", 200, { copiedFrom: "plate", ownerLocations: ["yard"], title: "Buyer copy" }),
  row("copy: the original's amendment does not reach the copy", "buyerReader", "copy", "view", 200, { title: "Buyer copy" }),
  row("copy: editing the copy does not change the original", "buyerReader", "plate", "view", 200, { title: "Plate S355 rev 2" }),
  row("copy: documents are copied with their versions", "buyerWriter", "copy", "documentList", 200, { documents: 2 }),
  row("copy: copied documents download", "buyerReader", "copy", "download", 200),
  row("copy: copied documents keep earlier versions", "buyerReader", "copy", "downloadV1", 200),
  ...profileRows("copy: the copier is on its creator side", "buyerWriter", "copy", "ownerWriter"),
  ...profileRows("copy: the copier's location colleagues own it too", "buyerReader", "copy", "ownerReader"),
  ...profileRows("copy: the original's creator sees nothing of the copy", "millWriter", "copy", "nothing"),
  ...profileRows("copy: the original's other receivers see nothing of the copy", "buyerOffice", "copy", "nothing"),
];
