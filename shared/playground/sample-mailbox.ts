import type { FakeMailboxItem } from "../host/fake-host";
import type { EmailAddress } from "../host/host";
import { samplePublicLink } from "./sample-link";
import { tinyPdf } from "./tiny-pdf";

/**
 * The playground's mailbox: the situations the pane must handle, as sample emails. The mailbox
 * belongs to Ada Admin of Demo Metals (a demo user of the local OpenID provider). All addresses
 * use the reserved `.example` domain. The inbox is newest first; the first email (selected when the
 * playground opens) is from a colleague on the network, so opening it looks nothing up that answers
 * 404 (browsers log every 404 as a console error, and the sign-in e2e test wants a quiet console).
 */

const me: EmailAddress = { name: "Ada Admin", address: "ada.admin@demo-metals.example" };
const customer: EmailAddress = { name: "Maria Jensen", address: "maria.jensen@nordicfab.example" };
const mill: EmailAddress = { name: "Baltic Steel Quality", address: "quality@balticsteel.example" };
const partner: EmailAddress = { name: "Tom Lindqvist", address: "tom.lindqvist@ferrotrade.example" };
const colleague: EmailAddress = { name: "Rita Reader", address: "rita.reader@demo-metals.example" };
const stranger: EmailAddress = { name: "J. Smith", address: "j.smith@unknown-traders.example" };

const certPdfA = tinyPdf([
  "Inspection certificate EN 10204 3.1",
  "Baltic Steel Mill - Certificate no. BSM-2026-11873",
  "Heat 8H1234 - Grade S355J2+N - Plate 20 x 2000 x 6000 mm",
  "C 0.17  Mn 1.45  Si 0.25  P 0.012  S 0.006",
]);
const certPdfB = tinyPdf([
  "Inspection certificate EN 10204 3.1",
  "Baltic Steel Mill - Certificate no. BSM-2026-11874",
  "Heat 8H1235 - Grade S355J2+N - Plate 25 x 2000 x 6000 mm",
  "C 0.16  Mn 1.47  Si 0.22  P 0.010  S 0.005",
]);

export interface SampleMailboxOptions {
  /** The SmartCert link in the "SmartCert for your order 9920" email: `${origin}/p/<token>`. */
  readonly publicLink: string;
}

/** The origin the pane's API is on, when there is a page; tests without one get the dev server's. */
const pageOrigin = typeof location === "undefined" ? "http://localhost:3000" : location.origin;

export function createSampleMailbox({ publicLink }: SampleMailboxOptions): readonly FakeMailboxItem[] {
  return [
    {
      item: {
        kind: "read",
        key: "msg-colleague",
        hostItemId: "AAMkAGI2-colleague",
        internetMessageId: "<5d1e88aa.po4512@demo-metals.example>",
        conversationId: "conv-colleague",
        subject: "Customer asks again: PO#4512",
        from: colleague,
        to: [me],
        cc: [],
        receivedAt: "2026-11-20T11:30:00.000Z",
        attachments: [],
      },
      bodyText: [
        "Hi Ada,",
        "",
        "Nordic Fabrication called about PO#4512. Could you share the cert with me on SmartCert?",
        "I'll forward it to them from Houston.",
        "",
        "Rita",
      ].join("\n"),
    },
    {
      item: {
        kind: "read",
        key: "msg-po-4512",
        hostItemId: "AAMkAGI2-po-4512",
        internetMessageId: "<c8f1a2b3.4512@nordicfab.example>",
        conversationId: "conv-po-4512",
        subject: "Certs for PO 4512, heat 8H1234",
        from: customer,
        to: [me],
        cc: [],
        receivedAt: "2026-11-20T09:15:00.000Z",
        attachments: [],
      },
      bodyText: [
        "Hi Ada,",
        "",
        "We received the plates on PO 4512 yesterday. Could you send the mill certificates for heat 8H1234?",
        "Our receiving inspection can't release the material without them.",
        "",
        "Thanks,",
        "Maria Jensen",
        "Purchasing, Nordic Fabrication",
      ].join("\n"),
    },
    {
      item: {
        kind: "read",
        key: "msg-mill-certs",
        hostItemId: "AAMkAGI2-mill-certs",
        internetMessageId: "<3f9e7d21.11873@balticsteel.example>",
        conversationId: "conv-mill-certs",
        subject: "Inspection certificates, delivery 7781 (heats 8H1234, 8H1235)",
        from: mill,
        to: [me],
        cc: [{ name: "Logistics", address: "logistics@balticsteel.example" }],
        receivedAt: "2026-11-19T14:02:00.000Z",
        attachments: [
          { id: "att-bsm-11873", name: "BSM-2026-11873_8H1234.pdf", contentType: "application/pdf", size: certPdfA.byteLength, isInline: false },
          { id: "att-bsm-11874", name: "BSM-2026-11874_8H1235.pdf", contentType: "application/pdf", size: certPdfB.byteLength, isInline: false },
        ],
      },
      bodyText: [
        "Dear customer,",
        "",
        "Please find attached the EN 10204 3.1 inspection certificates for delivery 7781,",
        "heats 8H1234 and 8H1235.",
        "",
        "Best regards,",
        "Quality department, Baltic Steel Mill",
      ].join("\n"),
      attachmentContent: { "att-bsm-11873": certPdfA, "att-bsm-11874": certPdfB },
    },
    {
      item: {
        kind: "read",
        key: "msg-public-link",
        hostItemId: "AAMkAGI2-public-link",
        internetMessageId: "<a71c0e55.link@ferrotrade.example>",
        conversationId: "conv-public-link",
        subject: "SmartCert for your order 9920",
        from: partner,
        to: [me],
        cc: [],
        receivedAt: "2026-11-18T10:40:00.000Z",
        attachments: [],
      },
      bodyText: [
        "Hello Ada,",
        "",
        "The certificate for order 9920 (heat 4K7781) is on SmartCert:",
        publicLink,
        "",
        "Regards,",
        "Tom Lindqvist, FerroTrade",
      ].join("\n"),
    },
    {
      item: {
        kind: "read",
        key: "msg-unknown-sender",
        hostItemId: "AAMkAGI2-unknown",
        internetMessageId: "<0b2d9f10.quote@unknown-traders.example>",
        conversationId: "conv-unknown",
        subject: "Price inquiry: S355 plate",
        from: stranger,
        to: [me],
        cc: [],
        receivedAt: "2026-11-17T16:25:00.000Z",
        attachments: [],
      },
      bodyText: [
        "Hello,",
        "",
        "We are looking for 40 t of S355J2+N plate, 20 mm. Please quote, including 3.1 certificates.",
        "",
        "J. Smith",
      ].join("\n"),
    },
    {
      item: {
        kind: "read",
        key: "msg-newsletter",
        hostItemId: "AAMkAGI2-newsletter",
        internetMessageId: "<news.2026-11@metalsweekly.example>",
        conversationId: "conv-newsletter",
        subject: "Metals Weekly: scrap prices steady",
        from: { name: "Metals Weekly", address: "news@metalsweekly.example" },
        to: [me],
        cc: [],
        receivedAt: "2026-11-16T07:00:00.000Z",
        attachments: [],
      },
      bodyText: "This week's news carries no certificate references.",
    },
    {
      item: {
        kind: "compose",
        key: "draft-reply-4512",
        hostItemId: null,
        conversationId: "conv-po-4512",
        inReplyToInternetMessageId: "<c8f1a2b3.4512@nordicfab.example>",
        subject: "RE: Certs for PO 4512, heat 8H1234",
        to: [customer],
        cc: [],
        attachments: [],
      },
      bodyText: "Hi Maria,\n\nHere are the certificates for heat 8H1234:\n",
    },
  ];
}

/** The sample mailbox with a link on this page's origin (a dead token unless configured). */
export const sampleMailbox: readonly FakeMailboxItem[] = createSampleMailbox({ publicLink: samplePublicLink(pageOrigin) });
