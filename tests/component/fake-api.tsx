import { render, type RenderResult } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { ApiClient } from "../../shared/api/client";
import type { Host } from "../../shared/host/host";
import { createPaneQueryClient } from "../../shared/pane/App";
import { ApiContext, HostContext } from "../../shared/pane/contexts";
import { LocaleContext, type FeatureLocale } from "../../shared/pane/settings/locale";

/**
 * An `ApiClient` that has only the methods a test gives it; calling any other one throws, so a
 * test fails loudly when a component calls something it did not expect.
 */
export function fakeApi(methods: Partial<ApiClient>): ApiClient {
  return new Proxy(methods, {
    get(target, property) {
      if (typeof property !== "string" || property === "then") return undefined;
      const method = (target as Record<string, unknown>)[property];
      if (method !== undefined) return method;
      return () => {
        throw new Error(`fakeApi: ${property} was called but the test did not provide it.`);
      };
    },
  }) as ApiClient;
}

/** Renders a pane component with what `App` would provide around it. */
export function renderInPane(ui: ReactNode, options: { host: Host; api: ApiClient; locale?: FeatureLocale }): RenderResult {
  return render(
    <FluentProvider theme={webLightTheme}>
      <QueryClientProvider client={createPaneQueryClient()}>
        <HostContext value={options.host}>
          <ApiContext value={options.api}>
            <LocaleContext value={options.locale ?? "en"}>{ui}</LocaleContext>
          </ApiContext>
        </HostContext>
      </QueryClientProvider>
    </FluentProvider>,
  );
}
