import { CertDetailView } from "../certs/CertDetailView";
import { CreateCertView } from "../create/CreateCertView";
import { ShareSheet } from "../share/ShareSheet";
import { useNavigation, type PaneView } from "./navigation";

/** The view on top of the stack. */
export function StackView({ view }: { readonly view: PaneView }) {
  const navigation = useNavigation();
  switch (view.kind) {
    case "cert":
      return <CertDetailView key={view.certId} certId={view.certId} />;
    case "share":
      return <ShareSheet key={view.certId} certId={view.certId} />;
    case "create":
      return (
        <CreateCertView
          onCreated={(certId) => {
            navigation.replace({ kind: "cert", certId });
          }}
          onCancel={navigation.back}
        />
      );
  }
}
