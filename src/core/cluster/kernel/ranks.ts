/**
 * A group's members as the join reads them: tokens re-ranked by their frequency in the group (rarest
 * first), each member's ranks sorted, with a 64-bit signature; and the group's union-find seeded from the
 * global one.
 */
import type { JoinJob } from '../job.js';
import { findRoot } from '../unionFind.js';
import type { JoinScratch } from './scratch.js';

/** Sorts a[from, to) ascending; insertion sort for the short runs lessons have. */
function sortRange(a: Int32Array, from: number, to: number): void {
  if (to - from > 48) {
    a.subarray(from, to).sort();
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= from && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}

/**
 * Re-ranks the tokens of members[from, from + G) by their frequency in the group (rarest first, ties by
 * id) into `buf`, each member's ranks sorted. Returns the group's distinct token count; bucket[d] is then
 * how many of them are in fewer than d members.
 */
export function localRanks(job: JoinJob, s: JoinScratch, members: Int32Array, from: number, G: number): number {
  const { offsets, tokens } = job;
  const { gLen, gOff, tokStamp, gdf, touched, bucket, nextOfDf, local, buf, gSig } = s;
  const stamp = ++s.serial;
  let nT = 0;
  let total = 0;
  for (let k = 0; k < G; k++) {
    const x = members[from + k]!;
    const a = offsets[x]!;
    const b = offsets[x + 1]!;
    gLen[k] = b - a;
    gOff[k] = total;
    total += b - a;
    for (let i = a; i < b; i++) {
      const w = tokens[i]!;
      if (tokStamp[w] !== stamp) {
        tokStamp[w] = stamp;
        gdf[w] = 0;
        touched[nT++] = w;
      }
      gdf[w]!++;
    }
  }
  gOff[G] = total;
  touched.subarray(0, nT).sort();
  bucket.fill(0, 0, G + 2);
  for (let i = 0; i < nT; i++) bucket[gdf[touched[i]!]! + 1]!++;
  for (let d = 1; d < G + 2; d++) bucket[d]! += bucket[d - 1]!;
  nextOfDf.set(bucket.subarray(0, G + 1));
  for (let i = 0; i < nT; i++) {
    const w = touched[i]!;
    local[w] = nextOfDf[gdf[w]!]!++;
  }
  for (let k = 0; k < G; k++) {
    const a = offsets[members[from + k]!]!;
    const o = gOff[k]!;
    const l = gLen[k]!;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < l; i++) {
      const r = local[tokens[a + i]!]!;
      buf[o + i] = r;
      const bit = Math.imul(r, 0x9e3779b1) >>> 26;
      if (bit & 32) hi |= 1 << (bit & 31);
      else lo |= 1 << (bit & 31);
    }
    gSig[2 * k] = lo;
    gSig[2 * k + 1] = hi;
    sortRange(buf, o, o + l);
  }
  return nT;
}

/**
 * Seeds the group's union-find from the global one: members already connected share a root. Returns
 * the root of the largest seeded component.
 */
export function seedComponents(job: JoinJob, s: JoinScratch, members: Int32Array, from: number, G: number): number {
  const { parent, prefixIds } = job;
  const { cand, gPrefix, lParent, lSize } = s;
  // Global roots are marked, for the time of this loop, by parent[root] = -1 - (first member): they
  // belong to this unit (components never span types), so no other thread reads them meanwhile.
  for (let k = 0; k < G; k++) cand[k] = findRoot(parent, members[from + k]!);
  let biggest = 0;
  for (let k = 0; k < G; k++) {
    gPrefix[k] = prefixIds[members[from + k]!]!;
    const r = cand[k]!;
    let first = parent[r]!;
    if (first >= 0) {
      parent[r] = -1 - k;
      first = k;
      lSize[k] = 0;
    } else first = -1 - first;
    lParent[k] = first;
    if (++lSize[first]! > lSize[biggest]!) biggest = first;
  }
  for (let k = 0; k < G; k++) parent[cand[k]!] = cand[k]!;
  return biggest;
}
