import { makeStyles } from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import { QueryState } from "../common/QueryState";
import { useApi, useStrings } from "../contexts";
import { queryKeys } from "../query-keys";

const useStyles = makeStyles({
  image: { width: "160px", height: "160px", maxWidth: "100%", alignSelf: "flex-start" },
});

/**
 * An image URL for SVG markup. An <img> never runs scripts in the SVG, so this is as safe as a
 * Blob URL; it is a data: URL because the backend's Content-Security-Policy (helmet defaults:
 * `img-src 'self' data:`) blocks blob: images.
 */
export function svgImageUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** The public link's QR code: the server's SVG shown as an image (never inlined into the DOM). */
export function QrCode({ certId, url, title }: { readonly certId: string; readonly url: string; readonly title: string }) {
  const strings = useStrings();
  const styles = useStyles();
  const api = useApi();
  const svg = useQuery({ queryKey: queryKeys.qr(certId, url), queryFn: ({ signal }) => api.getCertQrSvg(certId, { signal }) });
  return (
    <QueryState query={svg} loadingLabel={strings.share.qrLoading}>
      {() => (svg.data === undefined ? null : <img className={styles.image} src={svgImageUrl(svg.data)} alt={strings.share.qrAlt(title)} data-testid="qr-code" />)}
    </QueryState>
  );
}
