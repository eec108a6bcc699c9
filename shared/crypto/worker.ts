// The module worker entry (bundled by Vite from `new Worker(new URL("./worker.ts", import.meta.url))`).
import { serveCryptoJobs, type JobPort } from "./worker-protocol";

serveCryptoJobs(globalThis as unknown as JobPort);
