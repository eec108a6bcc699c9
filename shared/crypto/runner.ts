// The runner the pane and the reader use: a dedicated module worker when the browser can transfer
// streams to it, otherwise the same work inline (still streaming, still bounded).
import { canTransferStreams, inlineRunner, workerRunner, type CryptoRunner } from "./worker-protocol";

let shared: CryptoRunner | undefined;

export function cryptoRunner(): CryptoRunner {
  if (shared) return shared;
  if (typeof Worker === "undefined" || !canTransferStreams()) {
    shared = inlineRunner;
    return shared;
  }
  try {
    const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "smartcert-crypto" });
    shared = workerRunner(worker);
  } catch {
    shared = inlineRunner;
  }
  return shared;
}
