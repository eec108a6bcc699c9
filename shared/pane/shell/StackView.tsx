import { ExtraView } from "./ExtraView";
import { ViewBoundary } from "./lazy-view";
import { CertDetailView, CreateCertView, ShareSheet } from "./lazy-views";
import { useNavigation, type PaneView } from "./navigation";

/** The view on top of the stack (its code loads on first use: see lazy-views.ts). */
export function StackView({ view }: { readonly view: PaneView }) {
  // Keyed by the view, so a failure shown for one view does not stick to the next.
  return (
    <ViewBoundary key={viewKey(view)}>
      <StackViewContent view={view} />
    </ViewBoundary>
  );
}

function viewKey(view: PaneView): string {
  switch (view.kind) {
    case "cert":
    case "share":
      return `${view.kind}:${view.certId}`;
    case "create":
      return view.kind;
    case "extra":
      return `extra:${view.name}`;
  }
}

function StackViewContent({ view }: { readonly view: PaneView }) {
  const navigation = useNavigation();
  switch (view.kind) {
    case "cert":
      return <CertDetailView certId={view.certId} />;
    case "share":
      return <ShareSheet certId={view.certId} />;
    case "create":
      return (
        <CreateCertView
          onCreated={(certId) => {
            navigation.replace({ kind: "cert", certId });
          }}
          onCancel={navigation.back}
        />
      );
    case "extra":
      return <ExtraView name={view.name} />;
  }
}
