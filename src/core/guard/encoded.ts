/**
 * Base64, base32, hex and binary-digit blobs. What an agent can be steered by is hidden *text*: a blob of
 * 16+ characters that decodes to words (ASCII with spaces, or UTF-8 letters) is refused; one that decodes
 * to binary only when long (200+), and never for shapes that are ordinary (image data URIs, integrity
 * hashes, paths, hex digests, URL query values).
 */
import type { Hit } from './words.js';

const RUN = /[A-Za-z0-9+/_-]{16,}={0,2}/g;
const MIN_TEXT_BLOB = 16;
const MIN_BINARY_BLOB = 200;

function printableShare(bytes: Buffer): number {
  if (bytes.length === 0) return 0;
  let ok = 0;
  for (const b of bytes) if ((b >= 32 && b < 127) || b === 9 || b === 10 || b === 13) ok++;
  return ok / bytes.length;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Does `bytes` read as text: printable ASCII with spaces, or valid UTF-8 of letters (Chinese, accented)? */
function readsAsText(bytes: Buffer): boolean {
  if (bytes.length < 12) return false;
  if (printableShare(bytes) >= 0.97) return bytes.filter((b) => b === 32).length >= 2;
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return false;
  }
  const letters = text.match(/[\p{L}\p{N}\p{P}\s]/gu)?.length ?? 0;
  return letters / [...text].length >= 0.95 && (/\s\S+\s/.test(text) || /[\u3040-\u9fff\uac00-\ud7af]{4}/.test(text));
}

const BASE32 = /^[A-Z2-7]{24,}=*$/;
function base32(run: string): Buffer {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of run.replace(/=+$/, '')) {
    value = (value << 5) | 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** Eight-bit binary groups ("01110011 01101011 …") that spell text. */
const BINARY_GROUPS = /(?:[01]{8}[\s,]{1,3}){7,}[01]{8}/;

function decodedText(run: string): Buffer | null {
  if (/^[0-9a-fA-F]+$/.test(run)) return run.length % 2 === 0 ? Buffer.from(run, 'hex') : null;
  return Buffer.from(run.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

export function encodedBlob(base: string): Hit | null {
  if (base.length < MIN_TEXT_BLOB) return null;
  const binary = base.length >= 70 ? BINARY_GROUPS.exec(base) : null;
  if (binary) {
    const bytes = Buffer.from(binary[0].split(/[\s,]+/).map((g) => parseInt(g, 2)));
    if (readsAsText(bytes)) return { family: 'encoded-payload', reason: 'contains binary digits that spell hidden text' };
  }
  RUN.lastIndex = 0;
  for (let m = RUN.exec(base); m; m = RUN.exec(base)) {
    // Base64 wrapped over several lines reads as one blob.
    let run = m[0];
    let end = m.index + run.length;
    while (base.charCodeAt(end) === 10 || base.charCodeAt(end) === 13) {
      RUN.lastIndex = end + 1;
      const next = RUN.exec(base);
      if (!next || next.index > end + 2) break;
      run += next[0];
      end = next.index + next[0].length;
    }
    RUN.lastIndex = end;
    if (run.length < MIN_TEXT_BLOB) continue;
    // The word the run belongs to: a URL, a query parameter or a data URI is addressing, not a message.
    let from = m.index;
    while (from > 0 && m.index - from < 2048 && !/[\s"'<>()[\]`]/.test(base[from - 1]!)) from--;
    const word = base.slice(from, m.index).toLowerCase();
    if (/:\/\/|[?&]|^data:(?:image|font|audio|video)\/|sha(?:1|256|384|512)[-:]$|\/$/.test(word)) continue;
    if (/\bintegrity\W*$/.test(base.slice(Math.max(0, from - 20), from).toLowerCase())) continue;
    if (!/[0-9]/.test(run) && !/[+/]/.test(run)) continue; // long identifiers and words
    const slashes = run.split('/').length - 1;
    if (slashes > run.length / 24) continue; // a path
    const hex = /^[0-9a-fA-F]+$/.test(run);
    if (BASE32.test(run) && readsAsText(base32(run)))
      return { family: 'encoded-payload', reason: 'contains a base32 blob that decodes to hidden text' };
    if (!hex && (!/[a-z]/.test(run) || !/[A-Z]/.test(run))) continue;
    const bytes = decodedText(run);
    if (!bytes) continue;
    // Short runs count only when they decode to words (text with spaces): ids and hashes decode to noise.
    const text = readsAsText(bytes);
    if (text || (run.length >= 80 && printableShare(bytes) >= 0.9))
      return {
        family: 'encoded-payload',
        reason: `contains a ${hex ? 'hex' : 'base64'} blob that decodes to hidden text`,
      };
    if (!hex && run.length >= MIN_BINARY_BLOB)
      return { family: 'encoded-payload', reason: 'contains a long base64 blob' };
  }
  return null;
}
