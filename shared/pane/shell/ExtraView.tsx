import { MessageBar, MessageBarBody } from "@fluentui/react-components";
import { useStrings } from "../contexts";
import { usePaneStart, type PaneExtraViewName } from "../start-view";
import { ViewBoundary } from "./lazy-view";
import { useNavigation } from "./navigation";
import { ViewFrame } from "./ViewFrame";

/**
 * A view another feature registered through `App`'s `extraViews`, in the pane's frame (Back and
 * title); until one is registered, a clear "not available in this build".
 */
export function ExtraView({ name }: { readonly name: PaneExtraViewName }) {
  const strings = useStrings();
  const navigation = useNavigation();
  const { extraViews } = usePaneStart();
  const Registered = extraViews[name];
  const title = strings.extraViews.titles[name];
  return (
    <ViewFrame title={title} testId={`extra-view-${name}`}>
      {Registered ? (
        <ViewBoundary>
          <Registered
            open={(next) => {
              navigation.push({ kind: "extra", name: next });
            }}
            close={navigation.back}
          />
        </ViewBoundary>
      ) : (
        <MessageBar intent="info" layout="multiline" data-testid="extra-view-unavailable">
          <MessageBarBody>{strings.extraViews.unavailable(title)}</MessageBarBody>
        </MessageBar>
      )}
    </ViewFrame>
  );
}
