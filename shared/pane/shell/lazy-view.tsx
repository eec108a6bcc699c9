import { Spinner } from "@fluentui/react-components";
import { Component, Suspense, lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from "react";
import { useStrings } from "../contexts";
import { ProblemMessage } from "../ProblemMessage";
import { ViewLoadError } from "./view-load-error";

/**
 * Code-splitting for the pane's views: only what the first paint needs is in the entry bundle
 * (bench/pane.bench.ts holds it to 150 KB gzip); a view's code loads when it is first shown, or
 * earlier through `preload()`.
 *
 * `React.lazy` alone remembers a failed import forever, so after one network blip the view could
 * never load again without reloading the whole pane. Here a failed load stays failed (rendering
 * does not retry in a loop) until the boundary's Retry or `preload()` forgets it; the next render
 * then makes a fresh lazy component, which imports again.
 */

/** Forgets each failed load, so the next render imports again (the boundary's Retry). */
const failedLoads = new Set<() => void>();
function forgetFailedLoads(): void {
  for (const forget of [...failedLoads]) forget();
}

export type LazyView<P> = ComponentType<P> & {
  /** Starts loading the view's code (once); resolves when it is ready. */
  readonly preload: () => Promise<unknown>;
};

export function lazyView<P extends object>(load: () => Promise<ComponentType<P>>): LazyView<P> {
  let loaded: ComponentType<P> | undefined;
  let loading: Promise<ComponentType<P>> | undefined;
  let Lazy: LazyExoticComponent<ComponentType<P>> | undefined;
  const forget = () => {
    loading = undefined;
    Lazy = undefined;
    failedLoads.delete(forget);
  };
  const current = (): Promise<ComponentType<P>> => {
    loading ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        failedLoads.add(forget);
        throw new ViewLoadError(error);
      },
    );
    return loading;
  };
  const preload = (): Promise<ComponentType<P>> => {
    if (failedLoads.has(forget)) forget();
    return current();
  };
  function View(props: P) {
    // One lazy component per load attempt: stable across renders, as React requires.
    Lazy ??= lazy(() => (loaded ? settled(loaded) : current().then((component) => ({ default: component }))));
    return <Lazy {...props} />;
  }
  return Object.assign(View, { preload });
}

/**
 * A thenable that calls back synchronously: React.lazy then renders a preloaded view in the same
 * pass instead of showing the spinner for a frame (a real promise always resolves a tick later).
 */
function settled<T>(component: T): Promise<{ default: T }> {
  const thenable = { then: (resolve: (value: { default: T }) => void) => { resolve({ default: component }); } };
  return thenable as unknown as Promise<{ default: T }>;
}

/** Preloads views without waiting; a failure here is shown (with Retry) only if the view is opened. */
export function preloadViews(views: readonly { readonly preload: () => Promise<unknown> }[]): void {
  for (const view of views) view.preload().catch(() => undefined);
}

interface BoundaryProps {
  readonly children: ReactNode;
  readonly renderError: (error: unknown, retry: () => void) => ReactNode;
}

/** React catches render errors only in class components. */
class ErrorBoundary extends Component<BoundaryProps, { error: unknown }> {
  override state: { error: unknown } = { error: null };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  override render() {
    if (this.state.error !== null) {
      return this.props.renderError(this.state.error, () => {
        forgetFailedLoads();
        this.setState({ error: null });
      });
    }
    return this.props.children;
  }
}

/**
 * Where a lazy view appears: a labelled spinner while its code loads; if loading (or rendering)
 * fails, the problem with Retry instead of a blank pane.
 */
export function ViewBoundary({ children, label }: { readonly children: ReactNode; readonly label?: string }) {
  const strings = useStrings();
  return (
    <ErrorBoundary renderError={(error, retry) => <ProblemMessage error={error} onRetry={retry} />}>
      <Suspense fallback={<Spinner size="small" label={label ?? strings.loading} data-testid="pane-view-loading" />}>{children}</Suspense>
    </ErrorBoundary>
  );
}
