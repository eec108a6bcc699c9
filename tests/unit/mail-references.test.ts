import { describe, expect, it } from "vitest";
import {
  certMatchesReference,
  findNumberReferences,
  findPublicLinks,
  findReferences,
  normalizeReference,
  type NumberReference,
} from "../../shared/mail/references";

const numbers = (text: string) => findNumberReferences(text).map((r) => `${r.kind}:${r.value}`);

describe("findNumberReferences", () => {
  it.each([
    ["PO 4512", "po:4512"],
    ["PO#4512", "po:4512"],
    ["PO # 4512", "po:4512"],
    ["po-4512", "po:4512"],
    ["PO: 4512", "po:4512"],
    ["P.O. 4512", "po:4512"],
    ["PO no. 4512", "po:4512"],
    ["PO number 4512", "po:4512"],
    ["purchase order 4500-17", "po:4500-17"],
    ["PO4512", "po:4512"],
    ["heat 8H1234", "heat:8H1234"],
    ["Heat no. 8H1234", "heat:8H1234"],
    ["HEAT#8H1234", "heat:8H1234"],
    ["heat: 8h1234", "heat:8h1234"],
    ["cert no. C-77", "cert:C-77"],
    ["Cert# C-77", "cert:C-77"],
    ["Certificate no. BSM-2026-11873", "cert:BSM-2026-11873"],
    ["certificate number 3.1-991", "cert:3.1-991"],
  ])("finds %s", (text, expected) => {
    expect(numbers(text)).toEqual([expected]);
  });

  it("reads lists after a plural keyword", () => {
    expect(numbers("delivery 7781 (heats 8H1234, 8H1235 and 8H1236)")).toEqual(["heat:8H1234", "heat:8H1235", "heat:8H1236"]);
    expect(numbers("POs 4512 & 4513")).toEqual(["po:4512", "po:4513"]);
  });

  it("keeps the order of appearance across kinds and drops duplicates (case-insensitive)", () => {
    expect(numbers("Certs for PO 4512, heat 8H1234\nAbout PO 4512 and heat 8h1234 again, cert no. C-77")).toEqual([
      "po:4512",
      "heat:8H1234",
      "cert:C-77",
    ]);
  });

  it("strips trailing punctuation", () => {
    expect(numbers("Could you send the certs for heat 8H1234? And PO 4512.")).toEqual(["heat:8H1234", "po:4512"]);
  });

  it.each([
    "Certs for the order",
    "Inspection certificate EN 10204 3.1",
    "Poland 2020 and Portugal 4512",
    "Reheat 8H1234 and preheat",
    "POST 4512",
    "This week's news carries no certificate references.",
    "the heat is on",
    "",
  ])("finds nothing in %j", (text) => {
    expect(numbers(text)).toEqual([]);
  });

  it("finds the references of the sample customer email", () => {
    expect(
      numbers("Certs for PO 4512, heat 8H1234\nWe received the plates on PO 4512 yesterday. Could you send the mill certificates for heat 8H1234?"),
    ).toEqual(["po:4512", "heat:8H1234"]);
  });
});

describe("findPublicLinks", () => {
  const origin = "http://localhost:3000";
  const token = "AbCdEfGhIjKlMnOpQrStUv_-12";

  it("finds links of the API's origin and returns their tokens", () => {
    const text = `See ${origin}/p/${token}. And again: ${origin}/p/${token}`;
    expect(findPublicLinks(text, [origin])).toEqual([{ url: `${origin}/p/${token}`, token }]);
  });

  it("accepts an origin with a trailing slash", () => {
    expect(findPublicLinks(`${origin}/p/${token}`, [`${origin}/`])).toHaveLength(1);
  });

  it("ignores other origins, look-alike hosts, short tokens and other paths", () => {
    expect(findPublicLinks(`https://evil.example/p/${token}`, [origin])).toEqual([]);
    expect(findPublicLinks(`http://localhost:30000/p/${token}`, [origin])).toEqual([]);
    expect(findPublicLinks(`${origin}/p/short`, [origin])).toEqual([]);
    expect(findPublicLinks(`${origin}/x/${token}`, [origin])).toEqual([]);
    expect(findPublicLinks(`${origin}/p/${token}`, [])).toEqual([]);
  });

  it("does not treat the origin as a pattern", () => {
    expect(findPublicLinks(`http://localhostX3000/p/${token}`, ["http://localhost.3000"])).toEqual([]);
  });
});

describe("findReferences", () => {
  it("reads subject and body", () => {
    const refs = findReferences(
      { subject: "PO 4512", body: "heat 8H1234 at https://app.example/p/0123456789abcdefXYZ" },
      { publicLinkOrigins: ["https://app.example"] },
    );
    expect(refs.numbers).toEqual([
      { kind: "po", value: "4512" },
      { kind: "heat", value: "8H1234" },
    ]);
    expect(refs.publicLinks).toEqual([{ url: "https://app.example/p/0123456789abcdefXYZ", token: "0123456789abcdefXYZ" }]);
  });
});

describe("certMatchesReference", () => {
  const cert = { poNumbers: ["4512"], heatNumbers: ["8H1234"], certNumbers: ["C-77"] };
  const ref = (kind: NumberReference["kind"], value: string): NumberReference => ({ kind, value });

  it("matches the exact number of the same kind, ignoring case", () => {
    expect(certMatchesReference(cert, ref("po", "4512"))).toBe(true);
    expect(certMatchesReference(cert, ref("heat", "8h1234"))).toBe(true);
    expect(certMatchesReference(cert, ref("cert", "c-77"))).toBe(true);
  });

  it("does not match substrings or another kind", () => {
    expect(certMatchesReference(cert, ref("po", "451"))).toBe(false);
    expect(certMatchesReference(cert, ref("po", "45120"))).toBe(false);
    expect(certMatchesReference(cert, ref("heat", "4512"))).toBe(false);
  });

  it("normalizes case and spaces", () => {
    expect(normalizeReference(" 8h 1234 ")).toBe("8H1234");
  });
});
