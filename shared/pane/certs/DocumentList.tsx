import { Button, Caption1, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { useMutation, useQuery } from "@tanstack/react-query";
import type { DocumentDto } from "../../protocol/documents";
import { EmptyState, QueryState } from "../common/QueryState";
import { useApi, useStrings } from "../contexts";
import { ProblemMessage } from "../ProblemMessage";
import { queryKeys } from "../query-keys";
import { AttachDocumentButton } from "./AttachDocumentButton";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  heading: { margin: 0 },
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  doc: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  line: { display: "flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalS },
  name: { overflowWrap: "anywhere", fontWeight: tokens.fontWeightSemibold },
  versions: { listStyleType: "none", margin: 0, paddingInlineStart: tokens.spacingHorizontalM },
});

/** A cert's documents with their versions; Open asks for a signed URL and opens it in a new tab. */
export function DocumentList({ certId }: { readonly certId: string }) {
  const strings = useStrings();
  const styles = useStyles();
  const api = useApi();
  const documents = useQuery({ queryKey: queryKeys.documents(certId), queryFn: ({ signal }) => api.listDocuments(certId, { signal }) });
  const open = useMutation({
    mutationFn: async ({ documentId, version }: { documentId: string; version: number }) => {
      const { url } = await api.getDocumentUrl(certId, documentId, version);
      window.open(url, "_blank", "noopener,noreferrer");
    },
  });
  return (
    <section className={styles.root} aria-labelledby="documents-heading" data-testid="documents">
      <Subtitle2 as="h4" id="documents-heading" className={styles.heading}>
        {strings.detail.documentsHeading}
      </Subtitle2>
      {open.isError ? (
        <ProblemMessage
          error={open.error}
          onRetry={() => {
            open.mutate(open.variables);
          }}
        />
      ) : null}
      <QueryState query={documents} loadingLabel={strings.detail.documentsLoading}>
        {() =>
          documents.data?.items.length ? (
            <ul className={styles.list}>
              {documents.data.items.map((doc) => (
                <DocumentItem
                  key={doc.id}
                  certId={certId}
                  doc={doc}
                  busy={open.isPending}
                  onOpen={(version) => {
                    open.mutate({ documentId: doc.id, version });
                  }}
                />
              ))}
            </ul>
          ) : (
            <EmptyState>{strings.detail.noDocuments}</EmptyState>
          )
        }
      </QueryState>
    </section>
  );
}

interface DocumentItemProps {
  readonly certId: string;
  readonly doc: DocumentDto;
  readonly busy: boolean;
  readonly onOpen: (version: number) => void;
}

function DocumentItem({ certId, doc, busy, onOpen }: DocumentItemProps) {
  const strings = useStrings();
  const styles = useStyles();
  const versions = [...doc.versions].sort((a, b) => b.version - a.version);
  const [latest, ...older] = versions;
  if (!latest) return null;
  return (
    <li className={styles.doc} data-testid="document">
      <div className={styles.line}>
        <span className={styles.name}>{latest.fileName}</span>
        <OpenVersionButton fileName={latest.fileName} version={latest.version} busy={busy} onOpen={onOpen} />
        <AttachDocumentButton certId={certId} documentId={doc.id} version={latest.version} fileName={latest.fileName} />
      </div>
      <Caption1>{strings.detail.versionLabel(latest.version, strings.formatDate(latest.createdAt))}</Caption1>
      {older.length > 0 ? (
        <ul className={styles.versions}>
          {older.map((v) => (
            <li key={v.version} className={styles.line}>
              <Caption1>{strings.detail.versionLabel(v.version, strings.formatDate(v.createdAt))}</Caption1>
              <OpenVersionButton fileName={v.fileName} version={v.version} busy={busy} onOpen={onOpen} subtle />
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** Opens one version of a document through a freshly signed URL. */
function OpenVersionButton(props: { readonly fileName: string; readonly version: number; readonly busy: boolean; readonly onOpen: (version: number) => void; readonly subtle?: boolean }) {
  const strings = useStrings();
  return (
    <Button
      size="small"
      {...(props.subtle ? { appearance: "subtle" as const } : {})}
      disabled={props.busy}
      aria-label={strings.detail.openNamed(props.fileName, props.version)}
      onClick={() => {
        props.onOpen(props.version);
      }}
    >
      {strings.detail.open}
    </Button>
  );
}
