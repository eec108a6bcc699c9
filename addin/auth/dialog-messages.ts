import { z } from "zod";
import { storedSessionSchema } from "./session-store";

/**
 * What the sign-in dialog (auth-dialog.html) sends to the task pane with
 * `Office.context.ui.messageParent`. Validated on arrival: the pane trusts only this shape.
 */
export const dialogMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("smartcert-signed-in"), session: storedSessionSchema }),
  z.object({ type: z.literal("smartcert-sign-in-failed"), message: z.string().max(500) }),
]);
export type DialogMessage = z.infer<typeof dialogMessageSchema>;

/** The dialog page, relative to the add-in's pages; `prompt=login` after a sign-out. */
export function dialogUrl(pageOrigin: string, promptLogin: boolean): string {
  const url = new URL("/addin/auth-dialog.html", pageOrigin);
  if (promptLogin) url.searchParams.set("prompt", "login");
  return url.href;
}
