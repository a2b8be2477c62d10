/**
 * A small ZIP reader, enough for one workflow artifact: reads the central directory (ZIP64 included),
 * inflates stored or deflated entries with node:zlib, and checks each entry's CRC-32 and size.
 * Artifacts uploaded by @actions/artifact are zips written by `archiver` (deflate, data descriptors);
 * the central directory carries the sizes, so streaming-written entries read the same way.
 */
import { inflateRawSync } from 'node:zlib';

export class ZipError extends Error {
  override name = 'ZipError';
}

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc32: number;
  localHeaderOffset: number;
  isDirectory: boolean;
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const U32_MAX = 0xffffffff;
const U16_MAX = 0xffff;

let crcTable: Uint32Array | undefined;
/** CRC-32 (IEEE 802.3), as ZIP uses it. */
export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function u64(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipError('ZIP64 value too large');
  return Number(v);
}

function need(buf: Buffer, at: number, length: number, what: string): void {
  if (at < 0 || at + length > buf.length) throw new ZipError(`truncated zip: ${what} runs past the end`);
}

/** Lists the entries of a zip archive held in memory. */
export function readZipEntries(bytes: Uint8Array): ZipEntry[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 22) throw new ZipError('not a zip archive (too short)');
  // The end-of-central-directory record sits in the last 22 + 65535 (comment) bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - U16_MAX); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipError('not a zip archive (no end of central directory)');
  let count = buf.readUInt16LE(eocd + 10);
  let cdSize = buf.readUInt32LE(eocd + 12);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === U16_MAX || cdSize === U32_MAX || cdOffset === U32_MAX) {
    const locator = eocd - 20;
    need(buf, locator, 20, 'ZIP64 locator');
    if (buf.readUInt32LE(locator) !== EOCD64_LOCATOR) throw new ZipError('ZIP64 archive without its locator');
    const at = u64(buf, locator + 8);
    need(buf, at, 56, 'ZIP64 end of central directory');
    if (buf.readUInt32LE(at) !== EOCD64) throw new ZipError('ZIP64 end of central directory not found');
    count = u64(buf, at + 32);
    cdSize = u64(buf, at + 40);
    cdOffset = u64(buf, at + 48);
  }
  need(buf, cdOffset, cdSize, 'central directory');

  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    need(buf, p, 46, 'central directory entry');
    if (buf.readUInt32LE(p) !== CENTRAL) throw new ZipError(`bad central directory entry ${i}`);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    let compressedSize = buf.readUInt32LE(p + 20);
    let size = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    let localHeaderOffset = buf.readUInt32LE(p + 42);
    need(buf, p + 46, nameLength + extraLength + commentLength, 'central directory entry name');
    const name = buf.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLength);
    // ZIP64 extended information (header id 1): the 8-byte values of the fields that are 0xFFFFFFFF, in order.
    let e = p + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = buf.readUInt16LE(e);
      const len = buf.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        const take = (): number => {
          if (q + 8 > e + 4 + len) throw new ZipError(`bad ZIP64 extra field in entry ${name}`);
          const v = u64(buf, q);
          q += 8;
          return v;
        };
        if (size === U32_MAX) size = take();
        if (compressedSize === U32_MAX) compressedSize = take();
        if (localHeaderOffset === U32_MAX) localHeaderOffset = take();
      }
      e += 4 + len;
    }
    entries.push({ name, method, compressedSize, size, crc32: crc, localHeaderOffset, isDirectory: name.endsWith('/') });
    p = extraEnd + commentLength;
  }
  return entries;
}

/** The uncompressed bytes of one entry; checks its size and CRC-32. `maxBytes` guards against zip bombs. */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry, maxBytes = Number.MAX_SAFE_INTEGER): Buffer {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (entry.size > maxBytes) throw new ZipError(`entry ${entry.name} is ${entry.size} bytes, over the limit of ${maxBytes}`);
  const at = entry.localHeaderOffset;
  need(buf, at, 30, `local header of ${entry.name}`);
  if (buf.readUInt32LE(at) !== LOCAL) throw new ZipError(`bad local header for ${entry.name}`);
  const dataStart = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  need(buf, dataStart, entry.compressedSize, `data of ${entry.name}`);
  const raw = buf.subarray(dataStart, dataStart + entry.compressedSize);
  let out: Buffer;
  if (entry.method === 0) {
    out = Buffer.from(raw);
  } else if (entry.method === 8) {
    try {
      out = inflateRawSync(raw, { maxOutputLength: Math.max(1, Math.min(maxBytes, entry.size + 1)) });
    } catch (err) {
      throw new ZipError(`cannot inflate ${entry.name}: ${(err as Error).message}`);
    }
  } else {
    throw new ZipError(`entry ${entry.name} uses unsupported compression method ${entry.method}`);
  }
  if (out.length !== entry.size) throw new ZipError(`entry ${entry.name} inflates to ${out.length} bytes, expected ${entry.size}`);
  if (crc32(out) !== entry.crc32) throw new ZipError(`entry ${entry.name} fails its CRC-32 check`);
  return out;
}
