import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * The https certificate for sideloading on localhost, from office-addin-dev-certs (Microsoft's tool
 * for exactly this): it creates a development CA and a localhost certificate under
 * ~/.office-addin-dev-certs and installs the CA so Outlook trusts https://localhost. Installing
 * needs an administrator (sudo on Linux) and may be impossible (containers, CI); then the
 * generated certificate is used anyway and the message says how to trust the CA by hand.
 */
export interface DevCertificate {
  readonly cert: Buffer;
  readonly key: Buffer;
  /** The development CA, for processes that must trust this origin (the backend fetches its own JWKS through it). */
  readonly caPath: string;
  /** Set when the CA is not trusted by this system: what the user must do. */
  readonly warning?: string;
}

const certDir = path.join(os.homedir(), ".office-addin-dev-certs");
const files = { ca: path.join(certDir, "ca.crt"), cert: path.join(certDir, "localhost.crt"), key: path.join(certDir, "localhost.key") };

export async function loadDevCertificate(): Promise<DevCertificate> {
  const devCerts = await import("office-addin-dev-certs");
  try {
    const options = await devCerts.getHttpsServerOptions();
    return { cert: options.cert, key: options.key, caPath: files.ca };
  } catch (error) {
    if (!fs.existsSync(files.cert) || !fs.existsSync(files.key)) await devCerts.generateCertificates();
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return {
      cert: fs.readFileSync(files.cert),
      key: fs.readFileSync(files.key),
      caPath: files.ca,
      warning: [
        `The development CA could not be installed into this system's trust store (${reason}).`,
        `Outlook will refuse https://localhost:3443 until the CA is trusted: run \`npx office-addin-dev-certs install\``,
        `as an administrator, or import ${files.ca} into the trust store of the machine running Outlook.`,
      ].join("\n"),
    };
  }
}
