import { deflateSync } from "node:zlib";

/**
 * The add-in's icons, drawn in code and encoded as PNG (RGBA, one IDAT) so the build needs no
 * binary files in the repository and every size the manifest references is produced exactly.
 * The mark: a rounded blue square with a white certificate seal (ring and check).
 */

export const ICON_SIZES = [16, 25, 32, 48, 50, 64, 75, 80, 96, 128, 144] as const;

const brand = [0x0f, 0x6c, 0xbd] as const; // Fluent "brand" blue

export function iconPng(size: number): Buffer {
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel((x + 0.5) / size, (y + 0.5) / size);
      rgba.set([r, g, b, a], (y * size + x) * 4);
    }
  }
  return encodePng(size, size, rgba);
}

/** Colour at a point of the unit square. */
function pixel(u: number, v: number): [number, number, number, number] {
  const radius = 0.18;
  const dx = Math.max(radius - u, 0, u - (1 - radius));
  const dy = Math.max(radius - v, 0, v - (1 - radius));
  if (dx * dx + dy * dy > radius * radius) return [0, 0, 0, 0];
  const distance = Math.hypot(u - 0.5, v - 0.5);
  const ring = distance > 0.26 && distance < 0.34;
  // The check: two strokes, (0.36,0.5)→(0.46,0.6) and (0.46,0.6)→(0.65,0.4).
  const check = nearSegment(u, v, 0.36, 0.5, 0.46, 0.6) || nearSegment(u, v, 0.46, 0.6, 0.65, 0.4);
  return ring || check ? [255, 255, 255, 255] : [brand[0], brand[1], brand[2], 255];
}

function nearSegment(u: number, v: number, x1: number, y1: number, x2: number, y2: number): boolean {
  const t = Math.max(0, Math.min(1, ((u - x1) * (x2 - x1) + (v - y1) * (y2 - y1)) / ((x2 - x1) ** 2 + (y2 - y1) ** 2)));
  return Math.hypot(u - (x1 + t * (x2 - x1)), v - (y1 + t * (y2 - y1))) < 0.045;
}

function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit, RGBA, deflate, no filter method extras, no interlace
  const raw = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4); // filter byte 0
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (crcTable[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
