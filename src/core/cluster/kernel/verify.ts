/** The exact test of one candidate pair, with the cheap bounds that reject most pairs first. */
import type { JoinScratch } from './scratch.js';

const EPS = 1e-9;
/** ceil, rounded in the safe direction: a bound may be one too low (costs time), never one too high. */
export const safeCeil = (v: number): number => Math.ceil(v - EPS);

function popcount(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/**
 * Exact Jaccard(x, y) >= t for group members x, y (f = t / (1 + t)). First a bound from the signatures
 * (each bit x has and y lacks stands for at least one token of x that y lacks), then a merge that stops
 * once the needed overlap is out of reach. The final test is the definition's float test.
 */
export function verifyPair(s: JoinScratch, x: number, y: number, t: number, f: number): boolean {
  const { gLen, gSig, gOff, buf } = s;
  const lx = gLen[x]!;
  const ly = gLen[y]!;
  const need = safeCeil(f * (lx + ly));
  const xl = gSig[2 * x]!;
  const xh = gSig[2 * x + 1]!;
  const yl = gSig[2 * y]!;
  const yh = gSig[2 * y + 1]!;
  if (lx - popcount(xl & ~yl) - popcount(xh & ~yh) < need) return false;
  if (ly - popcount(yl & ~xl) - popcount(yh & ~xh) < need) return false;
  let i = gOff[x]!;
  const ei = i + lx;
  let j = gOff[y]!;
  const ej = j + ly;
  let inter = 0;
  while (i < ei && j < ej) {
    if (inter + Math.min(ei - i, ej - j) < need) return false;
    const a = buf[i]!;
    const b = buf[j]!;
    if (a === b) {
      inter++;
      i++;
      j++;
    } else if (a < b) i++;
    else j++;
  }
  return inter / (lx + ly - inter) >= t;
}
