import type { HostAccount, HostAuth, SignInOptions, SignInOutcome } from "../../shared/host/host";
import { officeEnums } from "../office/enums";
import { dialogMessageSchema, dialogUrl } from "./dialog-messages";
import type { SessionStore } from "./session-store";

/**
 * Sign-in through the Office dialog API, for Outlooks without Nested App Authentication and for
 * development against the local OpenID provider. The dialog (auth-dialog.html, same origin as the
 * pane, as Office requires for the first page) runs the authorization code flow with PKCE and
 * returns the ID token with `messageParent`; the pane keeps it in its SessionStore.
 */

/** Office dialog error codes (Office.context.ui.displayDialogAsync / DialogEventReceived). */
const DIALOG_CLOSED_BY_USER = 12006;

export class SignInError extends Error {
  override readonly name = "SignInError";
}

export interface DialogAuthOptions {
  readonly ui: Pick<Office.UI, "displayDialogAsync">;
  readonly store: SessionStore;
  /** The add-in's origin, e.g. `window.location.origin`. */
  readonly origin: string;
}

export class DialogAuth implements HostAuth {
  constructor(private readonly options: DialogAuthOptions) {}

  getAccessToken(): Promise<string | null> {
    return Promise.resolve(this.options.store.read()?.idToken ?? null);
  }

  getAccount(): Promise<HostAccount | null> {
    return Promise.resolve(this.options.store.account());
  }

  signIn(options?: SignInOptions): Promise<SignInOutcome> {
    const { store, ui, origin } = this.options;
    const url = dialogUrl(origin, options?.forceAccountChoice === true || store.promptLogin);
    return new Promise<SignInOutcome>((resolve, reject) => {
      ui.displayDialogAsync(url, { height: 60, width: 30, promptBeforeOpen: false }, (opened) => {
        if (opened.status !== officeEnums.succeeded) {
          reject(new SignInError(`Outlook could not open the sign-in window: ${opened.error.message}`));
          return;
        }
        const dialog = opened.value;
        dialog.addEventHandler(officeEnums.dialogMessageReceived, (event) => {
          dialog.close();
          // DialogApi 1.2 reports the sender's origin: only our own dialog page may answer.
          const fromUs = "message" in event && (!event.origin || event.origin === origin);
          const parsed = fromUs ? safeParse(event.message) : null;
          if (parsed?.type === "smartcert-signed-in") {
            store.write(parsed.session);
            resolve("signed-in");
          } else {
            reject(new SignInError(parsed?.type === "smartcert-sign-in-failed" ? parsed.message : "The sign-in window sent an unexpected answer."));
          }
        });
        dialog.addEventHandler(officeEnums.dialogEventReceived, (event) => {
          if ("error" in event && event.error === DIALOG_CLOSED_BY_USER) resolve("cancelled");
          else reject(new SignInError(`The sign-in window failed (Office error ${"error" in event ? event.error : "unknown"}).`));
        });
      });
    });
  }

  signOut(): Promise<void> {
    this.options.store.clear();
    return Promise.resolve();
  }
}

function safeParse(message: string) {
  try {
    const parsed = dialogMessageSchema.safeParse(JSON.parse(message));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
