/**
 * Builds a tiny but valid one-page PDF (PDF 1.4, Helvetica, correct xref offsets) showing the given
 * lines, so the playground's sample attachments open in any viewer and parse in any PDF library.
 * ASCII only: other characters become "?".
 */
export function tinyPdf(lines: readonly string[]): Uint8Array {
  const text = lines
    .map((line, index) => `${index === 0 ? "" : "T* "}(${escapePdfString(line)}) Tj`)
    .join("\n");
  const content = `BT /F1 14 Tf 18 TL 72 770 Td\n${text}\nET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let pdf = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(pdf.length);
    pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xrefOffset = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, "0")} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  // Every character is ASCII, so string length equals byte length and the offsets above hold.
  return new TextEncoder().encode(pdf);
}

function escapePdfString(value: string): string {
  return value
    .replace(/[^\x20-\x7e]/g, "?")
    .replace(/[\\()]/g, (c) => `\\${c}`);
}
