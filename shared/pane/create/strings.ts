import { useFeatureLocale, type FeatureLocale } from "../settings/locale";

/** Every user-visible string of the create-from-attachments view, in English and Swedish. */
export interface CreateStrings {
  readonly heading: string;
  readonly loading: string;
  readonly notWriter: { readonly title: string; readonly message: string };
  readonly noReadItem: string;
  readonly attachments: {
    readonly legend: string;
    readonly none: string;
    readonly cannotRead: { readonly title: string; readonly message: string };
    readonly size: (bytes: number) => string;
  };
  readonly fields: {
    readonly title: string;
    readonly poNumbers: string;
    readonly heatNumbers: string;
    readonly certNumbers: string;
    readonly listHint: string;
    readonly product: string;
    readonly standard: string;
    readonly salesLocation: string;
    readonly allMyLocations: string;
    readonly salesLocationHint: string;
    readonly locationsFailed: string;
    readonly titleRequired: string;
  };
  readonly create: string;
  readonly creating: string;
  readonly cancel: string;
  readonly upload: {
    readonly heading: (title: string) => string;
    readonly waiting: string;
    readonly reading: string;
    readonly progress: (percent: number) => string;
    readonly done: string;
    readonly cancelled: string;
    readonly failed: string;
    readonly readFailed: string;
    readonly cancel: string;
    readonly cancelFile: (name: string) => string;
    readonly retry: string;
    readonly retryFile: (name: string) => string;
    readonly cancelAll: string;
    readonly finish: string;
    readonly incomplete: string;
  };
}

const en: CreateStrings = {
  heading: "Create a SmartCert",
  loading: "Loading…",
  notWriter: {
    title: "You can't create certs",
    message: "Creating a SmartCert needs the Writer privilege. Ask an admin of your organization to give it to you.",
  },
  noReadItem: "Open an email to create a SmartCert from its attachments.",
  attachments: {
    legend: "Attachments to upload",
    none: "This email has no attachments. The cert will be created without documents.",
    cannotRead: {
      title: "Attachments can't be uploaded here",
      message: "This mailbox doesn't let SmartCert read attachments. The cert will be created without documents; add them later.",
    },
    size: (bytes) => (bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`),
  },
  fields: {
    title: "Title",
    poNumbers: "PO numbers",
    heatNumbers: "Heat numbers",
    certNumbers: "Cert numbers",
    listHint: "Separate several with commas.",
    product: "Product",
    standard: "Standard",
    salesLocation: "Sales Location",
    allMyLocations: "All my locations",
    salesLocationHint: "Without one, all your locations own the cert.",
    locationsFailed: "Your locations couldn't be loaded; the cert will belong to all of them.",
    titleRequired: "Give the cert a title.",
  },
  create: "Create",
  creating: "Creating…",
  cancel: "Cancel",
  upload: {
    heading: (title) => `Uploading to “${title}”`,
    waiting: "Waiting",
    reading: "Reading from the email…",
    progress: (percent) => `${percent}% uploaded`,
    done: "Uploaded",
    cancelled: "Cancelled",
    failed: "Failed",
    readFailed: "The attachment couldn't be read from the email. Select the email again, then retry.",
    cancel: "Cancel",
    cancelFile: (name) => `Cancel upload of ${name}`,
    retry: "Retry",
    retryFile: (name) => `Retry upload of ${name}`,
    cancelAll: "Cancel all",
    finish: "Finish",
    incomplete: "The cert was created, but not every file was uploaded. Retry them, or finish without them.",
  },
};

const sv: CreateStrings = {
  heading: "Skapa ett SmartCert",
  loading: "Laddar…",
  notWriter: {
    title: "Du kan inte skapa certifikat",
    message: "För att skapa ett SmartCert behövs behörigheten Skribent. Be en administratör i din organisation om den.",
  },
  noReadItem: "Öppna ett e-postmeddelande för att skapa ett SmartCert från dess bilagor.",
  attachments: {
    legend: "Bilagor att ladda upp",
    none: "Meddelandet har inga bilagor. Certifikatet skapas utan dokument.",
    cannotRead: {
      title: "Bilagor kan inte laddas upp här",
      message: "Den här brevlådan låter inte SmartCert läsa bilagor. Certifikatet skapas utan dokument; lägg till dem senare.",
    },
    size: (bytes) => (bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} kB` : `${(bytes / 1024 / 1024).toFixed(1).replace(".", ",")} MB`),
  },
  fields: {
    title: "Titel",
    poNumbers: "Ordernummer (PO)",
    heatNumbers: "Chargenummer",
    certNumbers: "Certifikatnummer",
    listHint: "Skilj flera åt med kommatecken.",
    product: "Produkt",
    standard: "Standard",
    salesLocation: "Säljort",
    allMyLocations: "Alla mina orter",
    salesLocationHint: "Utan säljort äger alla dina orter certifikatet.",
    locationsFailed: "Dina orter kunde inte laddas; certifikatet tillhör alla dina orter.",
    titleRequired: "Ge certifikatet en titel.",
  },
  create: "Skapa",
  creating: "Skapar…",
  cancel: "Avbryt",
  upload: {
    heading: (title) => `Laddar upp till ”${title}”`,
    waiting: "Väntar",
    reading: "Läser från meddelandet…",
    progress: (percent) => `${percent} % uppladdat`,
    done: "Uppladdad",
    cancelled: "Avbruten",
    failed: "Misslyckades",
    readFailed: "Bilagan kunde inte läsas från meddelandet. Markera meddelandet igen och försök sedan igen.",
    cancel: "Avbryt",
    cancelFile: (name) => `Avbryt uppladdningen av ${name}`,
    retry: "Försök igen",
    retryFile: (name) => `Försök ladda upp ${name} igen`,
    cancelAll: "Avbryt alla",
    finish: "Klar",
    incomplete: "Certifikatet skapades, men alla filer laddades inte upp. Försök igen, eller avsluta utan dem.",
  },
};

export const createCatalogs: Readonly<Record<FeatureLocale, CreateStrings>> = { en, sv };

/** The create view's strings in the pane's language. */
export function useCreateStrings(): CreateStrings {
  return createCatalogs[useFeatureLocale()];
}
