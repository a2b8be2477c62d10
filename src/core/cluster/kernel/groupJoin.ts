/**
 * One group's self-join: every pair of its members with Jaccard >= t, unioned. The method (all exact):
 *
 * - tokens are the group's local ranks, rarest first, each member's sorted (ranks.ts);
 * - Jaccard >= t needs an overlap of at least a(x, y) = ceil(t / (1 + t) * (|x| + |y|)) and
 *   |y| >= t * |x| (length filter);
 * - ℓ-prefix filter with ℓ = 2: when a(x, y) >= 2, the first two common tokens (in rank order) both lie
 *   in x's first |x| - a + 2 tokens and in y's first |y| - a + 2 tokens. Members are processed shortest
 *   first; each is indexed under its first |y| - a(y, y) + 2 tokens and probes with its first
 *   |x| - a_min(x) + 2 tokens, counting per candidate how many of those it shares. A candidate needs a
 *   count of 2 (1 when a(x, y) = 1), so two lessons that share one mid-frequency word are not verified;
 * - frequent tokens (in a large share of the group) are not posted alone but as pairs of frequent tokens
 *   of the same prefix, so their long lists are never read;
 * - a candidate already in the probing member's component is skipped before it is verified (connectivity
 *   is all we need), and one big component (the giant) is kept at the front of every list so that its
 *   members skip each other; the rest are verified exactly (verify.ts).
 *
 * Prefix and length bounds are rounded in the safe direction, so float noise can cost time, never a pair.
 */
import type { JoinJob } from '../job.js';
import { findRoot, linkRoots, unite } from '../unionFind.js';
import { localRanks, seedComponents } from './ranks.js';
import { FREQ_KEEP, grow, growKeep, type JoinScratch } from './scratch.js';
import { safeCeil, verifyPair } from './verify.js';

/** Mark layout: probe serial << 4 | count. Counts saturate at 14; 15: shares a frequent pair; 0: rejected. */
const PAIR_HIT = 15;

/**
 * Unions every pair of members[from, to) (in length order) whose Jaccard is >= t; with skipSamePrefix,
 * pairs that share a key prefix are left out (another join decides them).
 */
export function joinGroup(
  job: JoinJob,
  scratch: JoinScratch,
  members: Int32Array,
  from: number,
  to: number,
  t: number,
  skipSamePrefix: boolean,
  share: number,
): void {
  const { parent, size } = job;
  const { frequentMinDf, maxFrequent, pairMinGroup } = job;
  const giantFloor = job.giantMin;
  const { gLen, gOff, gPrefix, lParent, lSize, mark, cand, fCnt, fTok, fSig, buf } = scratch;
  const { touched, listStamp, sFill, sLo, sG, fMark, bucket } = scratch;
  const G = to - from;
  if (G < 2) return;
  const nT = localRanks(job, scratch, members, from, G);
  // The giant: one big component whose members posting lists keep apart (at their front), so that a
  // lesson already in it skips them all, and one not in it finds out after a few verifications.
  const giantMin = Math.max(giantFloor, G >> 7);
  let gRep = seedComponents(job, scratch, members, from, G);
  if (lSize[gRep]! < giantMin) gRep = -1;
  const f = t / (1 + t);
  const groupMinLen = gLen[0]!;

  // Frequent tokens: local ranks >= L0, i.e. df >= cut (local ranks order tokens by df).
  let L0 = nT;
  if (G >= pairMinGroup) {
    const cut = Math.max(2, frequentMinDf, Math.ceil(share * G));
    if (cut <= G) L0 = bucket[cut]!;
  }
  if (nT - L0 > maxFrequent) L0 = nT - maxFrequent; // the most frequent of them
  if (nT - L0 < 2) L0 = nT; // one frequent token makes no pair
  const F = nT - L0;
  const usePairs = F >= 2;

  const probeLength = (lx: number): number => {
    const lyMin = Math.min(lx, Math.max(safeCeil(t * lx), groupMinLen, 1));
    return Math.max(0, Math.min(lx, lx - safeCeil(f * (lx + lyMin)) + 2));
  };
  const tinyProbe = (lx: number): boolean => {
    const lyMin = Math.min(lx, Math.max(safeCeil(t * lx), groupMinLen, 1));
    return safeCeil(f * (lx + lyMin)) <= 1;
  };
  const indexLength = (ly: number): number => Math.min(ly, ly - safeCeil(f * 2 * ly) + 2);
  const tinyIndex = (ly: number): boolean => safeCeil(f * 2 * ly) <= 1;
  const firstFrequent = (o: number, end: number): number => {
    let p = 0;
    while (p < end && buf[o + p]! < L0) p++;
    return p;
  };

  // Frequent-pair lists, in an F×F table: key a * F + b -> [lo, fill) in `pairs`, [lo, g) the giant's members.
  const layoutSerial = ++scratch.serial;
  let nUsed = 0;
  if (usePairs) {
    const cells = F * F;
    // Buffers only ever grow: a run allocates a handful of times (each allocation can cost the caller a
    // full GC), and a stale stamp never equals a new serial.
    if (scratch.pStamp.length < cells) {
      scratch.pStamp = new Int32Array(Math.max(cells, scratch.pStamp.length * 2));
      scratch.pFill = new Int32Array(scratch.pStamp.length);
      scratch.pLo = new Int32Array(scratch.pStamp.length);
      scratch.pG = new Int32Array(scratch.pStamp.length);
    }
  }
  /** Counts one more entry for a pair key (pass 1). */
  const countKey = (key: number): void => {
    if (scratch.pStamp[key] !== layoutSerial) {
      scratch.pStamp[key] = layoutSerial;
      scratch.pFill[key] = 0;
      if (nUsed === scratch.pUsed.length) scratch.pUsed = growKeep(scratch.pUsed, nUsed + 1);
      scratch.pUsed[nUsed++] = key;
    }
    scratch.pFill[key]!++;
  };

  // Pass 1: size the posting lists the group will write (a list nobody writes reads as empty), and note
  // each member's frequent index tokens.
  let nS = 0;
  let nSinglesTotal = 0;
  for (let k = 0; k < G; k++) {
    const lx = gLen[k]!;
    const o = gOff[k]!;
    const I = indexLength(lx);
    const tinyI = tinyIndex(lx);
    for (let p = 0; p < I; p++) {
      const w = buf[o + p]!;
      if (w >= L0 && !tinyI) break;
      if (listStamp[w] !== layoutSerial) {
        listStamp[w] = layoutSerial;
        sFill[w] = 0;
        touched[nS++] = w; // `touched` is free again once local ranks are built
      }
      sFill[w]!++;
      nSinglesTotal++;
    }
    let nf = 0;
    let sigLo = 0;
    let sigHi = 0;
    if (usePairs) {
      for (let a = firstFrequent(o, I); a < I; a++) {
        const fa = buf[o + a]! - L0;
        if (nf < FREQ_KEEP) fTok[k * FREQ_KEEP + nf] = fa;
        nf++;
        if (fa & 32) sigHi |= 1 << (fa & 31);
        else sigLo |= 1 << (fa & 31);
        const keyBase = fa * F - L0;
        for (let b = a + 1; b < I; b++) countKey(keyBase + buf[o + b]!);
      }
    }
    fCnt[k] = Math.min(nf, FREQ_KEEP + 1);
    fSig[2 * k] = sigLo;
    fSig[2 * k + 1] = sigHi;
  }
  scratch.singles = grow(scratch.singles, nSinglesTotal);
  const sList = scratch.singles;
  for (let i = 0, at = 0; i < nS; i++) {
    const w = touched[i]!;
    const len = sFill[w]!;
    sLo[w] = at;
    sG[w] = at;
    sFill[w] = at;
    at += len;
  }
  if (usePairs) {
    let at = 0;
    for (let i = 0; i < nUsed; i++) {
      const h = scratch.pUsed[i]!;
      const len = scratch.pFill[h]!;
      scratch.pLo[h] = at;
      scratch.pG[h] = at;
      scratch.pFill[h] = at;
      at += len;
    }
    scratch.pairs = grow(scratch.pairs, at);
  }
  const stamps = scratch.pStamp;
  /** The list of a pair key, or -1 when nobody wrote one. */
  const slotOf = (key: number): number => (stamps[key] === layoutSerial ? key : -1);
  const pList = scratch.pairs;
  const pLoA = scratch.pLo;
  const pGA = scratch.pG;
  const pFillA = scratch.pFill;

  // Pass 2: probe, then index, shortest first.
  for (let k = 0; k < G; k++) {
    const lx = gLen[k]!;
    const o = gOff[k]!;
    const minLen = Math.max(safeCeil(t * lx), groupMinLen);
    const prune = minLen > groupMinLen; // lists hold no member shorter than the group's shortest
    const P = probeLength(lx);
    const tinyP = tinyProbe(lx);
    const probe = scratch.nextProbe();
    const stamp = probe << 4;
    const firstF = firstFrequent(o, P);
    const hasF = usePairs && firstF < P;
    const pushFirst = tinyP || hasF;
    let rx = findRoot(lParent, k);
    let gRoot = gRep >= 0 ? findRoot(lParent, gRep) : -1;
    const px = gPrefix[k]!;
    let nc = 0;
    let xSigLo = 0;
    let xSigHi = 0;
    if (hasF) {
      for (let a = firstF; a < P; a++) {
        const w = buf[o + a]!;
        fMark[w] = probe;
        if ((w - L0) & 32) xSigHi |= 1 << ((w - L0) & 31);
        else xSigLo |= 1 << ((w - L0) & 31);
      }
      // Phase A, for a lesson outside the giant: try the giant members it shares a frequent pair with
      // (a pair hit meets the count), verifying at once, until one joins it to the giant.
      if (gRoot >= 0 && rx !== gRoot) {
        outer: for (let a = firstF; a < P; a++) {
          const keyBase = (buf[o + a]! - L0) * F - L0;
          for (let b = a + 1; b < P; b++) {
            const h = slotOf(keyBase + buf[o + b]!);
            if (h < 0) continue;
            for (let s = pLoA[h]!, e = pGA[h]!; s < e; s++) {
              const y = pList[s]!;
              if (mark[y]! >>> 4 === probe) continue;
              mark[y] = stamp; // decided: not a candidate any more for this probe
              if (skipSamePrefix && px >= 0 && gPrefix[y] === px) continue;
              if (verifyPair(scratch, k, y, t, f)) {
                rx = linkRoots(lParent, lSize, rx, gRoot);
                gRoot = rx;
                gRep = rx;
                break outer;
              }
            }
          }
        }
      }
    }
    const inGiant = gRoot >= 0 && rx === gRoot;
    // Phase B: count shared rare tokens; a lesson in the giant reads only the lists' other members, and
    // moves members that joined the giant since to the front.
    const singlesEnd = tinyP ? P : firstF;
    for (let p = 0; p < singlesEnd; p++) {
      const w = buf[o + p]!;
      if (listStamp[w] !== layoutSerial) continue;
      let s = sLo[w]!;
      const e = sFill[w]!;
      let g = sG[w]!;
      if (prune) {
        while (s < e && gLen[sList[s]!]! < minLen) s++;
        sLo[w] = s;
        if (g < s) g = s;
      }
      for (let q = inGiant ? g : s; q < e; q++) {
        const y = sList[q]!;
        if (q >= g && gRoot >= 0 && findRoot(lParent, y) === gRoot) {
          sList[q] = sList[g]!;
          sList[g++] = y;
          if (inGiant) continue;
        }
        const v = mark[y]!;
        if (v >>> 4 !== probe) {
          mark[y] = stamp | 1;
          if (pushFirst) cand[nc++] = y;
        } else {
          const c = v & 15;
          if (c === 0) continue; // decided in phase A
          if (c < 14) mark[y] = v + 1;
          if (c === 1 && !pushFirst) cand[nc++] = y;
        }
      }
      sG[w] = g;
    }
    if (hasF) {
      for (let a = firstF; a < P; a++) {
        const keyBase = (buf[o + a]! - L0) * F - L0;
        for (let b = a + 1; b < P; b++) {
          const h = slotOf(keyBase + buf[o + b]!);
          if (h < 0) continue;
          let g = pGA[h]!;
          const e = pFillA[h]!;
          if (prune) {
            let s = pLoA[h]!;
            while (s < e && gLen[pList[s]!]! < minLen) s++;
            pLoA[h] = s;
            if (g < s) g = s;
          }
          // The giant's members at the front were all decided in phase A (or do not matter).
          for (let q = g; q < e; q++) {
            const y = pList[q]!;
            const v = mark[y]!;
            if (v >>> 4 === probe) {
              if ((v & 15) !== 0) mark[y] = stamp | PAIR_HIT; // in cand already (or decided: keep)
              continue;
            }
            const ry = findRoot(lParent, y);
            if (ry === gRoot) {
              pList[q] = pList[g]!;
              pList[g++] = y;
            }
            if (ry === rx) {
              mark[y] = stamp; // already connected
              continue;
            }
            mark[y] = stamp | PAIR_HIT;
            cand[nc++] = y;
          }
          pGA[h] = g;
        }
      }
    }
    if (nc > 0) {
      for (let i = 0; i < nc; i++) {
        const y = cand[i]!;
        const c = mark[y]! & 15;
        const ly = gLen[y]!;
        if (c < 2 && safeCeil(f * (lx + ly)) >= 2) {
          // One rare token in common: a second one can only be a frequent token of both prefixes.
          if (((xSigLo & fSig[2 * y]!) | (xSigHi & fSig[2 * y + 1]!)) === 0) continue;
          const nf = fCnt[y]!;
          let hit = false;
          if (nf <= FREQ_KEEP) {
            for (let q = y * FREQ_KEEP, e = q + nf; q < e; q++) {
              if (fMark[fTok[q]! + L0] === probe) {
                hit = true;
                break;
              }
            }
          } else {
            const oy = gOff[y]!;
            for (let q = oy + indexLength(ly) - 1; q >= oy; q--) {
              const w = buf[q]!;
              if (w < L0) break;
              if (fMark[w] === probe) {
                hit = true;
                break;
              }
            }
          }
          if (!hit) continue;
        }
        const ry = findRoot(lParent, y);
        if (ry === rx) continue;
        if (skipSamePrefix && px >= 0 && gPrefix[y] === px) continue;
        if ((c < 14 && c / (lx + ly - c) >= t) || verifyPair(scratch, k, y, t, f)) {
          const giantJoins = gRoot >= 0 && (rx === gRoot || ry === gRoot);
          rx = linkRoots(lParent, lSize, rx, ry);
          if (giantJoins || (gRoot < 0 && lSize[rx]! >= giantMin)) {
            gRep = rx;
            gRoot = rx;
          }
        }
      }
    }
    // Index x.
    const I = indexLength(lx);
    const tinyI = tinyIndex(lx);
    for (let p = 0; p < I; p++) {
      const w = buf[o + p]!;
      if (w >= L0 && !tinyI) break;
      sList[sFill[w]!++] = k;
    }
    if (usePairs) {
      for (let a = firstFrequent(o, I); a < I; a++) {
        const keyBase = (buf[o + a]! - L0) * F - L0;
        for (let b = a + 1; b < I; b++) pList[pFillA[slotOf(keyBase + buf[o + b]!)]!++] = k;
      }
    }
  }
  // Hand the group's unions to the global union-find.
  for (let k = 0; k < G; k++) {
    const r = findRoot(lParent, k);
    if (r !== k) unite(parent, size, members[from + k]!, members[from + r]!);
  }
}
