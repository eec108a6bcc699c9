import { Body1, Button, Divider, makeStyles, tokens } from "@fluentui/react-components";
import type { MailItem } from "../../host/host";
import { QueryState } from "../common/QueryState";
import { useCurrentItem, useStrings } from "../contexts";
import { CurrentItemCard } from "../CurrentItemCard";
import { useNavigation } from "../shell/navigation";
import { ConversationShares } from "./ConversationShares";
import { ExtraViewLinks } from "./ExtraViewLinks";
import { PublicLinkCard } from "./PublicLinkCard";
import { ReferencesSection } from "./ReferencesSection";
import { SenderCard } from "./SenderCard";
import { useEmailReferences } from "./use-email-references";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, minWidth: 0 },
});

/** "This email": the open email, its sender on the network, what it refers to, what was shared. */
export function EmailTab() {
  const styles = useStyles();
  const item = useCurrentItem();
  return (
    <div className={styles.root} data-testid="email-tab">
      <CurrentItemCard />
      {item ? <EmailContext key={item.key} item={item} /> : null}
    </div>
  );
}

function EmailContext({ item }: { readonly item: MailItem }) {
  const strings = useStrings();
  const navigation = useNavigation();
  const { text, references } = useEmailReferences(item);
  const files = item.attachments.filter((a) => !a.isInline).length;
  return (
    <>
      {item.kind === "read" ? <SenderCard from={item.from} /> : <Body1>{strings.email.composeHint}</Body1>}
      {item.kind === "read" && files > 0 ? (
        <Button
          onClick={() => {
            navigation.push({ kind: "create" });
          }}
        >
          {strings.email.createFromAttachments}
        </Button>
      ) : null}
      <ExtraViewLinks item={item} />
      <Divider />
      <QueryState query={text} loadingLabel={strings.email.readingBody}>
        {() =>
          references ? (
            <>
              {references.publicLinks.map((link) => (
                <PublicLinkCard key={link.token} link={link} />
              ))}
              <ReferencesSection references={references.numbers} />
            </>
          ) : null
        }
      </QueryState>
      {item.conversationId ? <ConversationShares conversationId={item.conversationId} /> : null}
    </>
  );
}
