/**
 * Long base64 or hex blobs. What an agent can be steered by is hidden *text*: a blob that decodes to
 * readable text is refused at 80 characters; one that decodes to binary only when long (200+), and
 * never for shapes that are ordinary (image data URIs, integrity hashes, paths, hex digests).
 */
import type { Hit } from './words.js';

const RUN = /[A-Za-z0-9+/_-]{40,}={0,2}/g;
const MIN_TEXT_BLOB = 80;
const MIN_BINARY_BLOB = 200;

function printableShare(bytes: Buffer): number {
  if (bytes.length === 0) return 0;
  let ok = 0;
  for (const b of bytes) if ((b >= 32 && b < 127) || b === 9 || b === 10 || b === 13) ok++;
  return ok / bytes.length;
}

function decodedText(run: string): Buffer | null {
  if (/^[0-9a-fA-F]+$/.test(run)) return run.length % 2 === 0 ? Buffer.from(run, 'hex') : null;
  return Buffer.from(run.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

export function encodedBlob(base: string): Hit | null {
  if (base.length < MIN_TEXT_BLOB) return null;
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
    if (/:\/\/|[=?&]|;base64,$|^data:|sha(?:1|256|384|512)[-:]$|\/$/.test(word)) continue;
    if (/\bintegrity\W*$/.test(base.slice(Math.max(0, from - 20), from).toLowerCase())) continue;
    if (!/[0-9]/.test(run) && !/[+/]/.test(run)) continue; // long identifiers and words
    const slashes = run.split('/').length - 1;
    if (slashes > run.length / 24) continue; // a path
    const hex = /^[0-9a-fA-F]+$/.test(run);
    if (!hex && (!/[a-z]/.test(run) || !/[A-Z]/.test(run))) continue;
    const bytes = decodedText(run);
    if (!bytes) continue;
    if (printableShare(bytes) >= 0.9)
      return {
        family: 'encoded-payload',
        reason: `contains a ${hex ? 'hex' : 'base64'} blob that decodes to hidden text`,
      };
    if (!hex && run.length >= MIN_BINARY_BLOB)
      return { family: 'encoded-payload', reason: 'contains a long base64 blob' };
  }
  return null;
}
