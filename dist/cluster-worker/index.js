import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:worker_threads"
const external_node_worker_threads_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");
;// CONCATENATED MODULE: ./src/core/cluster/job.ts
/**
 * The join's whole input and state as typed arrays, so that a worker thread can share it. The work is cut
 * into units, one per lesson type (lessons of different types never join), that threads claim one at a
 * time; every unit touches only its own items of the union-find, so threads never write the same entry.
 */

const UNIT_PENDING = 0;
const UNIT_DONE = 1;
/** The worker failed the unit: the calling thread redoes it. */
const UNIT_FAILED = 2;
const UNIT_DONE_BY_WORKER = 3;
const sharedInt32 = (length, shared) => shared ? new Int32Array(new SharedArrayBuffer(Math.max(4, length * 4))) : new Int32Array(length);
/** The same array, in shared memory when it is not already. */
function inShared(a) {
    if (a.buffer instanceof SharedArrayBuffer)
        return a;
    const s = sharedInt32(a.length, true);
    s.set(a);
    return s;
}
/**
 * Items with tokens (similarity with an empty set is 0: it joins nothing), by type, each type in
 * (length, index) order: counting sorts. Types largest (costliest) first, so that two threads finish together.
 */
function planUnits(input, shared) {
    const { count: n, offsets, typeIds } = input;
    let maxLen = 0;
    let maxType = -1;
    for (let i = 0; i < n; i++) {
        maxLen = Math.max(maxLen, offsets[i + 1] - offsets[i]);
        maxType = Math.max(maxType, typeIds[i]);
    }
    const byLen = new Int32Array(maxLen + 2);
    for (let i = 0; i < n; i++)
        byLen[offsets[i + 1] - offsets[i] + 1]++;
    for (let l = 1; l < byLen.length; l++)
        byLen[l] += byLen[l - 1];
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++)
        order[byLen[offsets[i + 1] - offsets[i]]++] = i;
    const empty = byLen[0]; // after the fill, byLen[0] = how many have length 0
    const typeCount = new Int32Array(maxType + 2);
    for (let k = empty; k < n; k++)
        typeCount[typeIds[order[k]] + 1]++;
    for (let ty = 1; ty < typeCount.length; ty++)
        typeCount[ty] += typeCount[ty - 1];
    const sizeOf = (ty) => typeCount[ty + 1] - typeCount[ty];
    const types = Array.from({ length: maxType + 1 }, (_, ty) => ty).filter((ty) => sizeOf(ty) > 1);
    types.sort((a, b) => sizeOf(b) - sizeOf(a) || a - b);
    const parallel = shared(n - empty, types.length);
    const unitStart = sharedInt32(types.length + 1, parallel);
    const unitItems = sharedInt32(n - empty, parallel);
    const typeAt = new Int32Array(maxType + 1).fill(-1);
    types.forEach((ty, u) => (typeAt[ty] = u));
    for (let u = 0; u < types.length; u++)
        unitStart[u + 1] = unitStart[u] + sizeOf(types[u]);
    const fill = unitStart.slice(0, types.length);
    for (let k = empty; k < n; k++) {
        const u = typeAt[typeIds[order[k]]];
        if (u >= 0)
            unitItems[fill[u]++] = order[k];
    }
    return { unitItems, unitStart, parallel };
}
/** The job for a plan: in shared memory when `parallel`. */
function makeJob(input, plan, parallel, thresholds, tuning) {
    const units = plan.unitStart.length - 1;
    const { parent, size } = singletons(input.count, (l) => sharedInt32(l, parallel));
    return {
        offsets: parallel ? inShared(input.offsets) : input.offsets,
        tokens: parallel ? inShared(input.tokens) : input.tokens,
        prefixIds: parallel ? inShared(input.prefixIds) : input.prefixIds,
        tokenCount: input.tokenCount,
        unitItems: plan.unitItems,
        unitStart: plan.unitStart,
        parent,
        size,
        control: sharedInt32(units + 1, parallel),
        base: thresholds.base,
        low: Math.min(thresholds.base, thresholds.samePrefix),
        frequentShare: tuning.frequentShare,
        frequentShareType: tuning.frequentShareType,
        frequentMinDf: tuning.frequentMinDf,
        maxFrequent: Math.max(2, Math.min(tuning.maxFrequent, 46000)), // keys a * F + b must fit an int32
        pairMinGroup: tuning.pairMinGroup,
        giantMin: tuning.giantMin,
    };
}

;// CONCATENATED MODULE: ./src/core/cluster/unionFind.ts
/**
 * The one union-find of the clustering: plain functions over an Int32Array of parents (and one of sizes),
 * so that the join kernel can run them on shared memory, on a group's local copy, or through the class.
 */
/** The root of x's component, halving the path on the way. */
function findRoot(parent, x) {
    while (parent[x] !== x) {
        const gp = parent[parent[x]];
        parent[x] = gp;
        x = gp;
    }
    return x;
}
/** Links two distinct roots, the smaller component under the larger; returns the new root. */
function linkRoots(parent, size, ra, rb) {
    if (size[ra] < size[rb]) {
        const t = ra;
        ra = rb;
        rb = t;
    }
    parent[rb] = ra;
    size[ra] += size[rb];
    return ra;
}
/** Joins the components of a and b; returns the root of the result. */
function unite(parent, size, a, b) {
    const ra = findRoot(parent, a);
    const rb = findRoot(parent, b);
    return ra === rb ? ra : linkRoots(parent, size, ra, rb);
}
/** Component label of every item: the smallest index in its component. */
function labelsOf(parent) {
    const n = parent.length;
    const minOfRoot = new Int32Array(n).fill(-1);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
        const r = findRoot(parent, i);
        if (minOfRoot[r] === -1)
            minOfRoot[r] = i; // i ascends, so the first seen is the smallest
        out[i] = minOfRoot[r];
    }
    return out;
}
/** Singletons 0..n-1: parent[i] = i, size 1 (in shared memory when `alloc` gives it). */
function unionFind_singletons(n, alloc = (l) => new Int32Array(l)) {
    const parent = alloc(n);
    for (let i = 0; i < n; i++)
        parent[i] = i;
    const size = alloc(n).fill(1);
    return { parent, size };
}
class UnionFind {
    parent;
    size;
    constructor(n) {
        ({ parent: this.parent, size: this.size } = unionFind_singletons(n));
    }
    find(x) {
        return findRoot(this.parent, x);
    }
    union(a, b) {
        return unite(this.parent, this.size, a, b);
    }
    labels() {
        return labelsOf(this.parent);
    }
}

;// CONCATENATED MODULE: ./src/core/cluster/kernel/ranks.ts

/** Sorts a[from, to) ascending; insertion sort for the short runs lessons have. */
function sortRange(a, from, to) {
    if (to - from > 48) {
        a.subarray(from, to).sort();
        return;
    }
    for (let i = from + 1; i < to; i++) {
        const v = a[i];
        let j = i - 1;
        while (j >= from && a[j] > v) {
            a[j + 1] = a[j];
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
function localRanks(job, s, members, from, G) {
    const { offsets, tokens } = job;
    const { gLen, gOff, tokStamp, gdf, touched, bucket, nextOfDf, local, buf, gSig } = s;
    const stamp = ++s.serial;
    let nT = 0;
    let total = 0;
    for (let k = 0; k < G; k++) {
        const x = members[from + k];
        const a = offsets[x];
        const b = offsets[x + 1];
        gLen[k] = b - a;
        gOff[k] = total;
        total += b - a;
        for (let i = a; i < b; i++) {
            const w = tokens[i];
            if (tokStamp[w] !== stamp) {
                tokStamp[w] = stamp;
                gdf[w] = 0;
                touched[nT++] = w;
            }
            gdf[w]++;
        }
    }
    gOff[G] = total;
    touched.subarray(0, nT).sort();
    bucket.fill(0, 0, G + 2);
    for (let i = 0; i < nT; i++)
        bucket[gdf[touched[i]] + 1]++;
    for (let d = 1; d < G + 2; d++)
        bucket[d] += bucket[d - 1];
    nextOfDf.set(bucket.subarray(0, G + 1));
    for (let i = 0; i < nT; i++) {
        const w = touched[i];
        local[w] = nextOfDf[gdf[w]]++;
    }
    for (let k = 0; k < G; k++) {
        const a = offsets[members[from + k]];
        const o = gOff[k];
        const l = gLen[k];
        let lo = 0;
        let hi = 0;
        for (let i = 0; i < l; i++) {
            const r = local[tokens[a + i]];
            buf[o + i] = r;
            const bit = Math.imul(r, 0x9e3779b1) >>> 26;
            if (bit & 32)
                hi |= 1 << (bit & 31);
            else
                lo |= 1 << (bit & 31);
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
function seedComponents(job, s, members, from, G) {
    const { parent, prefixIds } = job;
    const { cand, gPrefix, lParent, lSize } = s;
    // Global roots are marked, for the time of this loop, by parent[root] = -1 - (first member): they
    // belong to this unit (components never span types), so no other thread reads them meanwhile.
    for (let k = 0; k < G; k++)
        cand[k] = findRoot(parent, members[from + k]);
    let biggest = 0;
    for (let k = 0; k < G; k++) {
        gPrefix[k] = prefixIds[members[from + k]];
        const r = cand[k];
        let first = parent[r];
        if (first >= 0) {
            parent[r] = -1 - k;
            first = k;
            lSize[k] = 0;
        }
        else
            first = -1 - first;
        lParent[k] = first;
        if (++lSize[first] > lSize[biggest])
            biggest = first;
    }
    for (let k = 0; k < G; k++)
        parent[cand[k]] = cand[k];
    return biggest;
}

;// CONCATENATED MODULE: ./src/core/cluster/kernel/scratch.ts
/** Frequent tokens kept per member for the one-rare-token check (the rest is read from its tokens). */
const FREQ_KEEP = 8;
/** An array of at least `need` entries: `a` itself, or a new one (contents not kept). */
const grow = (a, need) => a.length >= need ? a : new Int32Array(Math.max(need, a.length * 2));
/** The same, keeping the contents. */
const growKeep = (a, need) => {
    if (a.length >= need)
        return a;
    const b = new Int32Array(Math.max(need, a.length * 2, 4096));
    b.set(a);
    return b;
};
class JoinScratch {
    // Per group member.
    gLen; // tokens
    gOff; // token range in buf
    gPrefix;
    lParent; // the group's union-find, seeded from the global one
    lSize;
    /** Probe marks: probe serial << 4 | count (see groupJoin). */
    mark;
    cand;
    fCnt; // frequent tokens in its index prefix (FREQ_KEEP + 1: more than kept)
    fTok; // ... the first FREQ_KEEP of them (frequent index < 46000)
    fSig; // ... all of them, as a 64-bit signature (bit = rank mod 64)
    buf; // members' tokens as local ranks, each member's sorted
    gSig; // members' tokens as a 64-bit signature (hashed local ranks)
    // Per token.
    tokStamp;
    gdf;
    local;
    touched;
    listStamp;
    sFill;
    sLo;
    sG; // [lo, g): members of the group's giant component
    fMark;
    // Per document frequency.
    bucket;
    nextOfDf;
    // Growable: single-token posting lists, and frequent-pair lists (key a * F + b of frequent indexes a < b).
    singles = new Int32Array(4096);
    pStamp = new Int32Array(0);
    pFill = new Int32Array(0);
    pLo = new Int32Array(0);
    pG = new Int32Array(0);
    pUsed = new Int32Array(0);
    pairs = new Int32Array(1024);
    /** Stamps groups and layouts. */
    serial = 0;
    probeSerial = 0;
    constructor(job) {
        const { offsets, unitItems, unitStart, tokenCount } = job;
        let maxUnit = 0;
        let maxUnitTokens = 0;
        for (let u = 0; u + 1 < unitStart.length; u++) {
            maxUnit = Math.max(maxUnit, unitStart[u + 1] - unitStart[u]);
            let t = 0;
            for (let i = unitStart[u]; i < unitStart[u + 1]; i++)
                t += offsets[unitItems[i] + 1] - offsets[unitItems[i]];
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
    nextProbe() {
        if (this.probeSerial >= 0x7ffffff) {
            this.mark.fill(0);
            this.fMark.fill(-1);
            this.probeSerial = 0;
        }
        return ++this.probeSerial;
    }
}

;// CONCATENATED MODULE: ./src/core/cluster/kernel/verify.ts
const EPS = 1e-9;
/** ceil, rounded in the safe direction: a bound may be one too low (costs time), never one too high. */
const safeCeil = (v) => Math.ceil(v - EPS);
function popcount(v) {
    v -= (v >>> 1) & 0x55555555;
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
/**
 * Exact Jaccard(x, y) >= t for group members x, y (f = t / (1 + t)). First a bound from the signatures
 * (each bit x has and y lacks stands for at least one token of x that y lacks), then a merge that stops
 * once the needed overlap is out of reach. The final test is the definition's float test.
 */
function verifyPair(s, x, y, t, f) {
    const { gLen, gSig, gOff, buf } = s;
    const lx = gLen[x];
    const ly = gLen[y];
    const need = safeCeil(f * (lx + ly));
    const xl = gSig[2 * x];
    const xh = gSig[2 * x + 1];
    const yl = gSig[2 * y];
    const yh = gSig[2 * y + 1];
    if (lx - popcount(xl & ~yl) - popcount(xh & ~yh) < need)
        return false;
    if (ly - popcount(yl & ~xl) - popcount(yh & ~xh) < need)
        return false;
    let i = gOff[x];
    const ei = i + lx;
    let j = gOff[y];
    const ej = j + ly;
    let inter = 0;
    while (i < ei && j < ej) {
        if (inter + Math.min(ei - i, ej - j) < need)
            return false;
        const a = buf[i];
        const b = buf[j];
        if (a === b) {
            inter++;
            i++;
            j++;
        }
        else if (a < b)
            i++;
        else
            j++;
    }
    return inter / (lx + ly - inter) >= t;
}

;// CONCATENATED MODULE: ./src/core/cluster/kernel/groupJoin.ts




/** Mark layout: probe serial << 4 | count. Counts saturate at 14; 15: shares a frequent pair; 0: rejected. */
const PAIR_HIT = 15;
/**
 * Unions every pair of members[from, to) (in length order) whose Jaccard is >= t; with skipSamePrefix,
 * pairs that share a key prefix are left out (another join decides them).
 */
function joinGroup(job, scratch, members, from, to, t, skipSamePrefix, share) {
    const { parent, size } = job;
    const { frequentMinDf, maxFrequent, pairMinGroup } = job;
    const giantFloor = job.giantMin;
    const { gLen, gOff, gPrefix, lParent, lSize, mark, cand, fCnt, fTok, fSig, buf } = scratch;
    const { touched, listStamp, sFill, sLo, sG, fMark, bucket } = scratch;
    const G = to - from;
    if (G < 2)
        return;
    const nT = localRanks(job, scratch, members, from, G);
    // The giant: one big component whose members posting lists keep apart (at their front), so that a
    // lesson already in it skips them all, and one not in it finds out after a few verifications.
    const giantMin = Math.max(giantFloor, G >> 7);
    let gRep = seedComponents(job, scratch, members, from, G);
    if (lSize[gRep] < giantMin)
        gRep = -1;
    const f = t / (1 + t);
    const groupMinLen = gLen[0];
    // Frequent tokens: local ranks >= L0, i.e. df >= cut (local ranks order tokens by df).
    let L0 = nT;
    if (G >= pairMinGroup) {
        const cut = Math.max(2, frequentMinDf, Math.ceil(share * G));
        if (cut <= G)
            L0 = bucket[cut];
    }
    if (nT - L0 > maxFrequent)
        L0 = nT - maxFrequent; // the most frequent of them
    if (nT - L0 < 2)
        L0 = nT; // one frequent token makes no pair
    const F = nT - L0;
    const usePairs = F >= 2;
    const probeLength = (lx) => {
        const lyMin = Math.min(lx, Math.max(safeCeil(t * lx), groupMinLen, 1));
        return Math.max(0, Math.min(lx, lx - safeCeil(f * (lx + lyMin)) + 2));
    };
    const tinyProbe = (lx) => {
        const lyMin = Math.min(lx, Math.max(safeCeil(t * lx), groupMinLen, 1));
        return safeCeil(f * (lx + lyMin)) <= 1;
    };
    const indexLength = (ly) => Math.min(ly, ly - safeCeil(f * 2 * ly) + 2);
    const tinyIndex = (ly) => safeCeil(f * 2 * ly) <= 1;
    const firstFrequent = (o, end) => {
        let p = 0;
        while (p < end && buf[o + p] < L0)
            p++;
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
    const countKey = (key) => {
        if (scratch.pStamp[key] !== layoutSerial) {
            scratch.pStamp[key] = layoutSerial;
            scratch.pFill[key] = 0;
            if (nUsed === scratch.pUsed.length)
                scratch.pUsed = growKeep(scratch.pUsed, nUsed + 1);
            scratch.pUsed[nUsed++] = key;
        }
        scratch.pFill[key]++;
    };
    // Pass 1: size the posting lists the group will write (a list nobody writes reads as empty), and note
    // each member's frequent index tokens.
    let nS = 0;
    let nSinglesTotal = 0;
    for (let k = 0; k < G; k++) {
        const lx = gLen[k];
        const o = gOff[k];
        const I = indexLength(lx);
        const tinyI = tinyIndex(lx);
        for (let p = 0; p < I; p++) {
            const w = buf[o + p];
            if (w >= L0 && !tinyI)
                break;
            if (listStamp[w] !== layoutSerial) {
                listStamp[w] = layoutSerial;
                sFill[w] = 0;
                touched[nS++] = w; // `touched` is free again once local ranks are built
            }
            sFill[w]++;
            nSinglesTotal++;
        }
        let nf = 0;
        let sigLo = 0;
        let sigHi = 0;
        if (usePairs) {
            for (let a = firstFrequent(o, I); a < I; a++) {
                const fa = buf[o + a] - L0;
                if (nf < FREQ_KEEP)
                    fTok[k * FREQ_KEEP + nf] = fa;
                nf++;
                if (fa & 32)
                    sigHi |= 1 << (fa & 31);
                else
                    sigLo |= 1 << (fa & 31);
                const keyBase = fa * F - L0;
                for (let b = a + 1; b < I; b++)
                    countKey(keyBase + buf[o + b]);
            }
        }
        fCnt[k] = Math.min(nf, FREQ_KEEP + 1);
        fSig[2 * k] = sigLo;
        fSig[2 * k + 1] = sigHi;
    }
    scratch.singles = grow(scratch.singles, nSinglesTotal);
    const sList = scratch.singles;
    for (let i = 0, at = 0; i < nS; i++) {
        const w = touched[i];
        const len = sFill[w];
        sLo[w] = at;
        sG[w] = at;
        sFill[w] = at;
        at += len;
    }
    if (usePairs) {
        let at = 0;
        for (let i = 0; i < nUsed; i++) {
            const h = scratch.pUsed[i];
            const len = scratch.pFill[h];
            scratch.pLo[h] = at;
            scratch.pG[h] = at;
            scratch.pFill[h] = at;
            at += len;
        }
        scratch.pairs = grow(scratch.pairs, at);
    }
    const stamps = scratch.pStamp;
    /** The list of a pair key, or -1 when nobody wrote one. */
    const slotOf = (key) => (stamps[key] === layoutSerial ? key : -1);
    const pList = scratch.pairs;
    const pLoA = scratch.pLo;
    const pGA = scratch.pG;
    const pFillA = scratch.pFill;
    // Pass 2: probe, then index, shortest first.
    for (let k = 0; k < G; k++) {
        const lx = gLen[k];
        const o = gOff[k];
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
        const px = gPrefix[k];
        let nc = 0;
        let xSigLo = 0;
        let xSigHi = 0;
        if (hasF) {
            for (let a = firstF; a < P; a++) {
                const w = buf[o + a];
                fMark[w] = probe;
                if ((w - L0) & 32)
                    xSigHi |= 1 << ((w - L0) & 31);
                else
                    xSigLo |= 1 << ((w - L0) & 31);
            }
            // Phase A, for a lesson outside the giant: try the giant members it shares a frequent pair with
            // (a pair hit meets the count), verifying at once, until one joins it to the giant.
            if (gRoot >= 0 && rx !== gRoot) {
                outer: for (let a = firstF; a < P; a++) {
                    const keyBase = (buf[o + a] - L0) * F - L0;
                    for (let b = a + 1; b < P; b++) {
                        const h = slotOf(keyBase + buf[o + b]);
                        if (h < 0)
                            continue;
                        for (let s = pLoA[h], e = pGA[h]; s < e; s++) {
                            const y = pList[s];
                            if (mark[y] >>> 4 === probe)
                                continue;
                            mark[y] = stamp; // decided: not a candidate any more for this probe
                            if (skipSamePrefix && px >= 0 && gPrefix[y] === px)
                                continue;
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
            const w = buf[o + p];
            if (listStamp[w] !== layoutSerial)
                continue;
            let s = sLo[w];
            const e = sFill[w];
            let g = sG[w];
            if (prune) {
                while (s < e && gLen[sList[s]] < minLen)
                    s++;
                sLo[w] = s;
                if (g < s)
                    g = s;
            }
            for (let q = inGiant ? g : s; q < e; q++) {
                const y = sList[q];
                if (q >= g && gRoot >= 0 && findRoot(lParent, y) === gRoot) {
                    sList[q] = sList[g];
                    sList[g++] = y;
                    if (inGiant)
                        continue;
                }
                const v = mark[y];
                if (v >>> 4 !== probe) {
                    mark[y] = stamp | 1;
                    if (pushFirst)
                        cand[nc++] = y;
                }
                else {
                    const c = v & 15;
                    if (c === 0)
                        continue; // decided in phase A
                    if (c < 14)
                        mark[y] = v + 1;
                    if (c === 1 && !pushFirst)
                        cand[nc++] = y;
                }
            }
            sG[w] = g;
        }
        if (hasF) {
            for (let a = firstF; a < P; a++) {
                const keyBase = (buf[o + a] - L0) * F - L0;
                for (let b = a + 1; b < P; b++) {
                    const h = slotOf(keyBase + buf[o + b]);
                    if (h < 0)
                        continue;
                    let g = pGA[h];
                    const e = pFillA[h];
                    if (prune) {
                        let s = pLoA[h];
                        while (s < e && gLen[pList[s]] < minLen)
                            s++;
                        pLoA[h] = s;
                        if (g < s)
                            g = s;
                    }
                    // The giant's members at the front were all decided in phase A (or do not matter).
                    for (let q = g; q < e; q++) {
                        const y = pList[q];
                        const v = mark[y];
                        if (v >>> 4 === probe) {
                            if ((v & 15) !== 0)
                                mark[y] = stamp | PAIR_HIT; // in cand already (or decided: keep)
                            continue;
                        }
                        const ry = findRoot(lParent, y);
                        if (ry === gRoot) {
                            pList[q] = pList[g];
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
                const y = cand[i];
                const c = mark[y] & 15;
                const ly = gLen[y];
                if (c < 2 && safeCeil(f * (lx + ly)) >= 2) {
                    // One rare token in common: a second one can only be a frequent token of both prefixes.
                    if (((xSigLo & fSig[2 * y]) | (xSigHi & fSig[2 * y + 1])) === 0)
                        continue;
                    const nf = fCnt[y];
                    let hit = false;
                    if (nf <= FREQ_KEEP) {
                        for (let q = y * FREQ_KEEP, e = q + nf; q < e; q++) {
                            if (fMark[fTok[q] + L0] === probe) {
                                hit = true;
                                break;
                            }
                        }
                    }
                    else {
                        const oy = gOff[y];
                        for (let q = oy + indexLength(ly) - 1; q >= oy; q--) {
                            const w = buf[q];
                            if (w < L0)
                                break;
                            if (fMark[w] === probe) {
                                hit = true;
                                break;
                            }
                        }
                    }
                    if (!hit)
                        continue;
                }
                const ry = findRoot(lParent, y);
                if (ry === rx)
                    continue;
                if (skipSamePrefix && px >= 0 && gPrefix[y] === px)
                    continue;
                if ((c < 14 && c / (lx + ly - c) >= t) || verifyPair(scratch, k, y, t, f)) {
                    const giantJoins = gRoot >= 0 && (rx === gRoot || ry === gRoot);
                    rx = linkRoots(lParent, lSize, rx, ry);
                    if (giantJoins || (gRoot < 0 && lSize[rx] >= giantMin)) {
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
            const w = buf[o + p];
            if (w >= L0 && !tinyI)
                break;
            sList[sFill[w]++] = k;
        }
        if (usePairs) {
            for (let a = firstFrequent(o, I); a < I; a++) {
                const keyBase = (buf[o + a] - L0) * F - L0;
                for (let b = a + 1; b < I; b++)
                    pList[pFillA[slotOf(keyBase + buf[o + b])]++] = k;
            }
        }
    }
    // Hand the group's unions to the global union-find.
    for (let k = 0; k < G; k++) {
        const r = findRoot(lParent, k);
        if (r !== k)
            unite(parent, size, members[from + k], members[from + r]);
    }
}

;// CONCATENATED MODULE: ./src/core/cluster/kernel/units.ts
/**
 * Units of work (one lesson type each) and the loop that claims them. Both threads run this loop over one
 * shared job; a unit writes only its own items of the union-find.
 */



/** Unit u: the (type, prefix) groups at the lowered bar, then the whole type at the base bar. */
function processUnit(job, scratch, u) {
    const { unitItems, unitStart, prefixIds, base, low } = job;
    const from = unitStart[u];
    const to = unitStart[u + 1];
    const lowered = low < base;
    if (lowered) {
        // Stable bucketing by prefix keeps each group in (length, index) order.
        const count = new Map();
        for (let i = from; i < to; i++) {
            const pfx = prefixIds[unitItems[i]];
            if (pfx >= 0)
                count.set(pfx, (count.get(pfx) ?? 0) + 1);
        }
        const start = new Map();
        let at = 0;
        for (const [pfx, c] of count) {
            start.set(pfx, at);
            at += c;
        }
        const grouped = new Int32Array(at);
        const fill = new Map(start);
        for (let i = from; i < to; i++) {
            const x = unitItems[i];
            const pfx = prefixIds[x];
            if (pfx < 0)
                continue;
            const pos = fill.get(pfx);
            grouped[pos] = x;
            fill.set(pfx, pos + 1);
        }
        for (const [pfx, c] of count) {
            joinGroup(job, scratch, grouped, start.get(pfx), start.get(pfx) + c, low, false, job.frequentShare);
        }
    }
    joinGroup(job, scratch, unitItems, from, to, base, lowered, job.frequentShareType);
}
/**
 * Runs the job: `only` >= 0 runs that one unit; otherwise units are claimed until none is left. In a worker
 * a failing unit is marked failed, for the calling thread to redo.
 */
function runJoinJob(job, inWorker, only) {
    const scratch = new JoinScratch(job);
    if (only >= 0) {
        processUnit(job, scratch, only);
        return;
    }
    const { control } = job;
    const units = job.unitStart.length - 1;
    for (;;) {
        const u = Atomics.add(control, 0, 1);
        if (inWorker)
            Atomics.notify(control, 0);
        if (u >= units)
            break;
        if (!inWorker) {
            processUnit(job, scratch, u);
            Atomics.store(control, 1 + u, UNIT_DONE);
            continue;
        }
        let state = UNIT_DONE_BY_WORKER;
        try {
            processUnit(job, scratch, u);
        }
        catch {
            state = UNIT_FAILED;
        }
        Atomics.store(control, 1 + u, state);
        Atomics.notify(control, 1 + u);
    }
}

;// CONCATENATED MODULE: ./src/core/cluster/worker.ts
/**
 * Worker entry of the join (bundled as dist/cluster-worker/index.js): runs the shared job it is given until no
 * unit is left. The protocol is in threads.ts.
 */


runJoinJob(external_node_worker_threads_namespaceObject.workerData, true, -1);

