/**
 * Waits for Office.js. Outside Outlook (the page opened in a plain browser tab) office.js still
 * loads but reports no host; the pages then say so instead of failing obscurely. When the CDN
 * script could not load at all, `Office` is undefined.
 */
export async function outlookReady(): Promise<typeof Office> {
  if (typeof Office === "undefined") throw new Error("Office.js did not load: check the connection to appsforoffice.microsoft.com.");
  const info = await Office.onReady();
  if (info.host !== Office.HostType.Outlook) throw new Error("This page is part of the SmartCert Outlook add-in; open it from Outlook.");
  return Office;
}

/** The pane's API lives on the origin that serves the add-in (the backend, or the start:outlook proxy in front of it). */
export const API_BASE = "/api/v1";
