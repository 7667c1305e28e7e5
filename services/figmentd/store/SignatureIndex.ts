/** Bits in each signature: more bits tell angles apart more finely; 384 bits is 48 bytes an app. */
export const SIGNATURE_BITS = 384;
const WORDS = SIGNATURE_BITS / 32;
if (WORDS !== 12) throw new Error('SignatureIndex.nearest() is unrolled for 384-bit signatures.');
/**
 * Seed of the random hyperplanes. Signatures stored on disk depend on it (and on
 * SIGNATURE_BITS): changing either means renaming the table that holds them.
 */
const PLANE_SEED = 0x5eed_f16e;

/**
 * The coarse pass of search by meaning: a random-hyperplane signature (SimHash)
 * of every app's vector, held in memory (48 bytes an app) and compared by
 * Hamming distance. The share of bits two signatures differ in estimates the
 * angle between their vectors, whatever the embedder (dense or sparse,
 * centred or not), so the nearest signatures hold the nearest vectors with
 * high probability; the caller re-ranks those few exactly. A scan is linear
 * in the number of apps but needs no sorting: about 1 ms per 80,000 apps.
 */
export class SignatureIndex {
  readonly #dimensions: number;
  /** SIGNATURE_BITS planes of `dimensions` numbers each, ±1. */
  readonly #planes: Float32Array;
  #rowids = new Float64Array(1024);
  #signatures = new Uint32Array(1024 * WORDS);
  #size = 0;
  /** Scratch for nearest(), kept between calls so a search allocates nothing large. */
  #distances = new Uint16Array(1024);
  readonly #histogram = new Uint32Array(SIGNATURE_BITS + 1);
  readonly #slots = new Map<number, number>();

  constructor(dimensions: number) {
    this.#dimensions = dimensions;
    this.#planes = hyperplanes(dimensions);
  }

  get size(): number {
    return this.#size;
  }

  /** The signature of a vector: bit i says on which side of plane i it lies. */
  sign(vector: Float32Array): Buffer {
    const words = new Uint32Array(WORDS);
    const dimensions = this.#dimensions;
    const planes = this.#planes;
    for (let bit = 0; bit < SIGNATURE_BITS; bit++) {
      let dot = 0;
      const offset = bit * dimensions;
      for (let i = 0; i < dimensions; i++) dot += (planes[offset + i] as number) * (vector[i] as number);
      if (dot > 0) words[bit >>> 5] = ((words[bit >>> 5] as number) | (1 << (bit & 31))) >>> 0;
    }
    return Buffer.from(words.buffer);
  }

  /** Adds or replaces an app's signature. */
  set(rowid: number, signature: Uint8Array): void {
    let slot = this.#slots.get(rowid);
    if (slot === undefined) {
      slot = this.#size++;
      this.#grow();
      this.#slots.set(rowid, slot);
      this.#rowids[slot] = rowid;
    }
    this.#signatures.set(asWords(signature), slot * WORDS);
  }

  delete(rowid: number): void {
    const slot = this.#slots.get(rowid);
    if (slot === undefined) return;
    // The last entry moves into the hole, so the arrays stay packed.
    const last = --this.#size;
    const lastRowid = this.#rowids[last] as number;
    this.#slots.delete(rowid);
    if (slot !== last) {
      this.#rowids[slot] = lastRowid;
      this.#signatures.copyWithin(slot * WORDS, last * WORDS, (last + 1) * WORDS);
      this.#slots.set(lastRowid, slot);
    }
    this.#signatures.fill(0, last * WORDS, (last + 1) * WORDS);
  }

  clear(): void {
    this.#size = 0;
    this.#slots.clear();
    this.#signatures.fill(0);
  }

  /** About `count` rowids whose signatures are nearest `signature` (all of them when there are fewer). */
  nearest(signature: Uint8Array, count: number): number[] {
    const query = asWords(signature);
    const size = this.#size;
    if (size <= count) return Array.from(this.#rowids.subarray(0, size));
    const signatures = this.#signatures;
    if (this.#distances.length < size) this.#distances = new Uint16Array(this.#signatures.length / WORDS);
    const distances = this.#distances;
    // A histogram of distances finds the cut-off for the nearest `count` without sorting.
    const histogram = this.#histogram;
    histogram.fill(0);
    const q0 = query[0] as number;
    const q1 = query[1] as number;
    const q2 = query[2] as number;
    const q3 = query[3] as number;
    const q4 = query[4] as number;
    const q5 = query[5] as number;
    const q6 = query[6] as number;
    const q7 = query[7] as number;
    const q8 = query[8] as number;
    const q9 = query[9] as number;
    const q10 = query[10] as number;
    const q11 = query[11] as number;
    // Unrolled for WORDS = 12: the scan is the one loop over every app.
    for (let slot = 0, o = 0; slot < size; slot++, o += WORDS) {
      const distance =
        popCount((signatures[o] as number) ^ q0) +
        popCount((signatures[o + 1] as number) ^ q1) +
        popCount((signatures[o + 2] as number) ^ q2) +
        popCount((signatures[o + 3] as number) ^ q3) +
        popCount((signatures[o + 4] as number) ^ q4) +
        popCount((signatures[o + 5] as number) ^ q5) +
        popCount((signatures[o + 6] as number) ^ q6) +
        popCount((signatures[o + 7] as number) ^ q7) +
        popCount((signatures[o + 8] as number) ^ q8) +
        popCount((signatures[o + 9] as number) ^ q9) +
        popCount((signatures[o + 10] as number) ^ q10) +
        popCount((signatures[o + 11] as number) ^ q11);
      distances[slot] = distance;
      histogram[distance] = (histogram[distance] as number) + 1;
    }
    let cut = 0;
    let below = 0;
    while (below + (histogram[cut] as number) < count) below += histogram[cut++] as number;
    // Everything nearer than the cut, then as many at the cut as still fit.
    let atCut = count - below;
    const found: number[] = [];
    for (let slot = 0; slot < size; slot++) {
      const distance = distances[slot] as number;
      if (distance < cut || (distance === cut && atCut-- > 0)) found.push(this.#rowids[slot] as number);
    }
    return found;
  }

  #grow(): void {
    if (this.#size <= this.#rowids.length) return;
    const rowids = new Float64Array(this.#rowids.length * 2);
    rowids.set(this.#rowids);
    this.#rowids = rowids;
    const signatures = new Uint32Array(this.#signatures.length * 2);
    signatures.set(this.#signatures);
    this.#signatures = signatures;
  }
}

/** A signature's bytes as 32-bit words (copied when not aligned for a Uint32Array view). */
function asWords(signature: Uint8Array): Uint32Array {
  if (signature.byteLength !== WORDS * 4) {
    throw new RangeError(`A signature is ${WORDS * 4} bytes, not ${signature.byteLength}.`);
  }
  const bytes = signature.byteOffset % 4 === 0 ? signature : new Uint8Array(signature);
  return new Uint32Array(bytes.buffer, bytes.byteOffset, WORDS);
}

function popCount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) as number;
}

const planeCache = new Map<number, Float32Array>();

/** The same ±1 planes for a given width in every process (mulberry32 from a fixed seed). */
function hyperplanes(dimensions: number): Float32Array {
  let planes = planeCache.get(dimensions);
  if (planes) return planes;
  planes = new Float32Array(SIGNATURE_BITS * dimensions);
  let state = PLANE_SEED >>> 0;
  for (let i = 0; i < planes.length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    planes[i] = ((t ^ (t >>> 14)) >>> 0) & 1 ? 1 : -1;
  }
  planeCache.set(dimensions, planes);
  return planes;
}
