import { Body1, Spinner } from "@fluentui/react-components";
import type { ReactNode } from "react";
import { ProblemMessage } from "../ProblemMessage";

/** The part of a TanStack query result the pane's views show states for. */
export interface QueryLike {
  readonly isPending: boolean;
  readonly isError: boolean;
  readonly error: unknown;
  readonly isFetching: boolean;
  readonly refetch: () => Promise<unknown>;
}

export interface QueryStateProps {
  readonly query: QueryLike;
  readonly loadingLabel: string;
  /** Shown when the data is there; return null for "nothing to show". */
  readonly children: () => ReactNode;
}

/** Loading (spinner with label), error (Problem title + Retry) or the content. */
export function QueryState({ query, loadingLabel, children }: QueryStateProps) {
  if (query.isPending && !query.isError) return <Spinner size="tiny" labelPosition="after" label={loadingLabel} />;
  if (query.isError) {
    return (
      <ProblemMessage
        error={query.error}
        busy={query.isFetching}
        onRetry={() => {
          void query.refetch();
        }}
      />
    );
  }
  return <>{children()}</>;
}

/** A quiet one-line "nothing here" message. */
export function EmptyState({ children, testId }: { readonly children: ReactNode; readonly testId?: string }) {
  return (
    <Body1 as="p" data-testid={testId} style={{ margin: 0 }}>
      {children}
    </Body1>
  );
}
