/**
 * The kernel's working memory, allocated once per job and reused by every group it joins: per group member
 * (local index k < the largest unit), per token (global id or local rank), and posting lists that only
 * ever grow (a run allocates a handful of times; each allocation can cost the caller a full GC).
 */
import type { JoinJob } from '../job.js';

/** Frequent tokens kept per member for the one-rare-token check (the rest is read from its tokens). */
export const FREQ_KEEP = 8;

/** An array of at least `need` entries: `a` itself, or a new one (contents not kept). */
export const grow = (a: Int32Array, need: number): Int32Array =>
  a.length >= need ? a : new Int32Array(Math.max(need, a.length * 2));

/** The same, keeping the contents. */
export const growKeep = (a: Int32Array, need: number): Int32Array => {
  if (a.length >= need) return a;
  const b = new Int32Array(Math.max(need, a.length * 2, 4096));
  b.set(a);
  return b;
};

export class JoinScratch {
  // Per group member.
  readonly gLen: Int32Array; // tokens
  readonly gOff: Int32Array; // token range in buf
  readonly gPrefix: Int32Array;
  readonly lParent: Int32Array; // the group's union-find, seeded from the global one
  readonly lSize: Int32Array;
  /** Probe marks: probe serial << 4 | count (see groupJoin). */
  readonly mark: Int32Array;
  readonly cand: Int32Array;
  readonly fCnt: Int32Array; // frequent tokens in its index prefix (FREQ_KEEP + 1: more than kept)
  readonly fTok: Uint16Array; // ... the first FREQ_KEEP of them (frequent index < 46000)
  readonly fSig: Int32Array; // ... all of them, as a 64-bit signature (bit = rank mod 64)
  readonly buf: Int32Array; // members' tokens as local ranks, each member's sorted
  readonly gSig: Int32Array; // members' tokens as a 64-bit signature (hashed local ranks)
  // Per token.
  readonly tokStamp: Int32Array;
  readonly gdf: Int32Array;
  readonly local: Int32Array;
  readonly touched: Int32Array;
  readonly listStamp: Int32Array;
  readonly sFill: Int32Array;
  readonly sLo: Int32Array;
  readonly sG: Int32Array; // [lo, g): members of the group's giant component
  readonly fMark: Int32Array;
  // Per document frequency.
  readonly bucket: Int32Array;
  readonly nextOfDf: Int32Array;
  // Growable: single-token posting lists, and frequent-pair lists (key a * F + b of frequent indexes a < b).
  singles: Int32Array = new Int32Array(4096);
  pStamp: Int32Array = new Int32Array(0);
  pFill: Int32Array = new Int32Array(0);
  pLo: Int32Array = new Int32Array(0);
  pG: Int32Array = new Int32Array(0);
  pUsed: Int32Array = new Int32Array(0);
  pairs: Int32Array = new Int32Array(1024);
  /** Stamps groups and layouts. */
  serial = 0;
  private probeSerial = 0;

  constructor(job: JoinJob) {
    const { offsets, unitItems, unitStart, tokenCount } = job;
    let maxUnit = 0;
    let maxUnitTokens = 0;
    for (let u = 0; u + 1 < unitStart.length; u++) {
      maxUnit = Math.max(maxUnit, unitStart[u + 1]! - unitStart[u]!);
      let t = 0;
      for (let i = unitStart[u]!; i < unitStart[u + 1]!; i++) t += offsets[unitItems[i]! + 1]! - offsets[unitItems[i]!]!;
      maxUnitTokens = Math.max(maxUnitTokens, t);
    }
    this.gLen = new Int32Array(maxUnit);
    this.gOff = new Int32Array(maxUnit + 1);
    this.gPrefix = new Int32Array(maxUnit);
    this.lParent = new Int32Array(maxUnit);
    this.lSize = new Int32Array(maxUnit);
    this.mark = new Int32Array(maxUnit);
    this.cand = new Int32Array(maxUnit);
    this.fCnt = new Int32Array(maxUnit);
    this.fTok = new Uint16Array(maxUnit * FREQ_KEEP);
    this.fSig = new Int32Array(maxUnit * 2);
    this.buf = new Int32Array(maxUnitTokens);
    this.gSig = new Int32Array(maxUnit * 2);
    this.tokStamp = new Int32Array(tokenCount).fill(-1);
    this.gdf = new Int32Array(tokenCount);
    this.local = new Int32Array(tokenCount);
    this.touched = new Int32Array(tokenCount);
    this.listStamp = new Int32Array(tokenCount).fill(-1);
    this.sFill = new Int32Array(tokenCount);
    this.sLo = new Int32Array(tokenCount);
    this.sG = new Int32Array(tokenCount);
    this.fMark = new Int32Array(tokenCount).fill(-1);
    this.bucket = new Int32Array(maxUnit + 2);
    this.nextOfDf = new Int32Array(maxUnit + 2);
  }

  /** A fresh probe serial; marks are cleared when serials run out (they share an int32 with a count). */
  nextProbe(): number {
    if (this.probeSerial >= 0x7ffffff) {
      this.mark.fill(0);
      this.fMark.fill(-1);
      this.probeSerial = 0;
    }
    return ++this.probeSerial;
  }
}
