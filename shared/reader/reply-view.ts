// "Reply securely" under an opened message: the form, then the reply's link with Copy and a
// mailto: to the sender. The server cannot send the link for the replier — it never sees the key
// — so the replier's own mail program (or clipboard) carries it to the sender.
import type { ApiClient } from "../api/client";
import type { MessageSenderDto, ReplyCapabilityDto } from "../protocol/messages";
import { $, buttonById, inputById } from "./dom";
import { mailtoSender, sendReply } from "./reply";

export function showReplyForm(deps: { api: ApiClient; messageId: string; sender: MessageSenderDto; capability: ReplyCapabilityDto; describe: (error: unknown) => string }): void {
  const { sender } = deps;
  $("reply-note").textContent = `Your reply is encrypted in this browser. Only ${sender.displayName} (${sender.email}) can open it, after signing in with that address.`;
  const send = buttonById("reply-send");
  const status = $("reply-status");
  const textArea = $("reply-text") as HTMLTextAreaElement;
  const filesInput = inputById("reply-files");
  let repliesLeft = deps.capability.repliesLeft;
  send.addEventListener("click", () => {
    void (async () => {
      const files = [...(filesInput.files ?? [])];
      if (textArea.value.trim() === "" && files.length === 0) {
        status.textContent = "Write a reply or add a file.";
        status.classList.add("error");
        return;
      }
      send.disabled = true;
      status.classList.remove("error");
      status.textContent = "Encrypting and uploading your reply…";
      try {
        const { link } = await sendReply({
          api: deps.api,
          messageId: deps.messageId,
          capability: deps.capability.token,
          text: textArea.value,
          files,
          onProgress: (done, of) => { if (of > 0) status.textContent = `Encrypting and uploading your reply… ${done} of ${of} files`; },
        });
        repliesLeft -= 1;
        showReplyLink(sender, link);
        textArea.value = "";
        filesInput.value = "";
        status.textContent = repliesLeft > 0 ? "Reply uploaded. Now send its link to the sender." : "Reply uploaded. Now send its link to the sender. This was the last reply allowed from this opening.";
        send.disabled = repliesLeft <= 0;
      } catch (error) {
        status.textContent = deps.describe(error);
        status.classList.add("error");
        send.disabled = false;
      }
    })();
  });
  $("reply").hidden = false;
}

function showReplyLink(sender: MessageSenderDto, link: string): void {
  inputById("reply-link").value = link;
  const mail = $("reply-mailto") as HTMLAnchorElement;
  mail.href = mailtoSender(sender, link);
  mail.textContent = `Email the link to ${sender.displayName}`;
  const copy = buttonById("reply-copy");
  copy.onclick = () => {
    void navigator.clipboard.writeText(link).then(
      () => { $("reply-copied").textContent = "Link copied."; },
      () => { inputById("reply-link").select(); $("reply-copied").textContent = "Select the link and copy it."; },
    );
  };
  $("reply-done").hidden = false;
}
