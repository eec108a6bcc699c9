import { uploadResultSchema } from "../protocol/documents";
import { problemSchema } from "../protocol/problem";
import { ApiError, clientProblemTypes } from "./http";

/**
 * Document upload as multipart/form-data through XMLHttpRequest, the one browser API that reports
 * upload progress. Cancel with the AbortSignal; the server discards a partial upload.
 */
export interface UploadOptions {
  /** Add the file as the next version of this document. */
  readonly documentId?: string;
  readonly signal?: AbortSignal;
  /** Bytes sent so far and the total, as the browser reports them. */
  readonly onProgress?: (sent: number, total: number) => void;
}

export interface UploadResult {
  documentId: string;
  version: number;
  sha256: string;
  size: number;
}

export function uploadDocument(input: UploadOptions & { url: string; token: string | null; file: Blob; fileName: string }): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    if (input.signal?.aborted) {
      reject(new DOMException("The upload was cancelled.", "AbortError"));
      return;
    }
    const xhr = new XMLHttpRequest();
    const target = input.documentId ? `${input.url}?documentId=${encodeURIComponent(input.documentId)}` : input.url;
    xhr.open("POST", target);
    if (input.token) xhr.setRequestHeader("authorization", `Bearer ${input.token}`);
    xhr.setRequestHeader("accept", "application/json, application/problem+json");
    xhr.upload.onprogress = (event) => input.onProgress?.(event.loaded, event.lengthComputable ? event.total : input.file.size);
    const onAbort = () => { xhr.abort(); };
    input.signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => input.signal?.removeEventListener("abort", onAbort);

    xhr.onload = () => {
      done();
      const json = safeJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) {
        const parsed = uploadResultSchema.safeParse(json);
        if (parsed.success) resolve(parsed.data);
        else reject(new ApiError({ type: clientProblemTypes.invalidResponse, title: "The SmartCert service sent an answer this version does not understand.", status: xhr.status }));
        return;
      }
      const problem = problemSchema.safeParse(json);
      reject(new ApiError(problem.success ? { ...problem.data, status: xhr.status } : { type: "about:blank", title: xhr.statusText || `HTTP ${xhr.status}`, status: xhr.status }));
    };
    xhr.onerror = () => {
      done();
      reject(new ApiError({ type: clientProblemTypes.network, title: "The SmartCert service could not be reached.", status: 0 }));
    };
    xhr.onabort = () => {
      done();
      reject(new DOMException("The upload was cancelled.", "AbortError"));
    };
    const form = new FormData();
    form.append("file", input.file, input.fileName);
    xhr.send(form);
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
