// Timing helpers of bench:remote. All figures are nanoseconds from process.hrtime.bigint().

export type Call = () => Promise<unknown>;

export interface Figures {
  p50Ns: number;
  p99Ns: number;
  callsPerSecond: number;
}

/** Makes `size` sequential awaited calls. */
export type Batch = (size: number) => Promise<void>;

/**
 * Per-call times of `batches` batches of `size` sequential awaited calls each.
 *
 * For calls that take a fraction of a microsecond, one hrtime.bigint() read (~50-100 ns, and it
 * allocates a BigInt) costs about as much as the call, so timing calls one by one would mostly
 * measure the clock. Each sample is therefore a batch's time divided by its size: p50/p99 are
 * percentiles of those per-call averages, i.e. they show jitter between batches (GC, JIT,
 * scheduling) rather than the tail of single calls, which at this scale is the clock's noise.
 *
 * The loop lives in `batch`, not here: V8 keeps type feedback per function, so a loop shared by
 * the cases being compared would see several call targets and could end up compiled better for
 * one of them. Comparing sub-microsecond calls needs each case to own its loop.
 */
export async function timeBatches(batch: Batch, batches: number, size: number): Promise<Float64Array> {
  const samples = new Float64Array(batches);
  for (let b = 0; b < batches; b++) {
    const start = process.hrtime.bigint();
    await batch(size);
    samples[b] = Number(process.hrtime.bigint() - start) / size;
  }
  return samples;
}

/** A batch of `call` through a shared loop: fine for calls of a microsecond and more. */
export function repeat(call: Call): Batch {
  return async (size) => {
    for (let i = 0; i < size; i++) await call();
  };
}

export interface Timed {
  /** One duration per call made. */
  samples: Float64Array;
  wallNs: number;
}

/**
 * Times up to `count` sequential calls one by one (for calls of a microsecond and more),
 * stopping early after `budgetMs` so a busy machine cannot stretch the run without bound.
 */
export async function timeCalls(call: Call, count: number, budgetMs = Infinity): Promise<Timed> {
  const samples = new Float64Array(count);
  const begin = process.hrtime.bigint();
  const deadline = begin + BigInt(Math.min(budgetMs, 3_600_000) * 1e6);
  let made = 0;
  while (made < count) {
    const start = process.hrtime.bigint();
    if (start > deadline) break;
    await call();
    samples[made++] = Number(process.hrtime.bigint() - start);
  }
  return { samples: samples.subarray(0, made), wallNs: Number(process.hrtime.bigint() - begin) };
}

/**
 * Times several kinds of calls one by one in alternating rounds of `perRound` calls each, until
 * each kind made `count` calls or `budgetMs` passed, so load from other processes and drift hit
 * every kind alike and their differences mean something.
 */
export async function timeAlternating(calls: Call[], count: number, perRound: number, budgetMs: number): Promise<Float64Array[]> {
  const samples = calls.map(() => new Float64Array(count));
  const deadline = process.hrtime.bigint() + BigInt(Math.min(budgetMs, 3_600_000) * 1e6);
  let made = 0;
  while (made < count && process.hrtime.bigint() < deadline) {
    const round = Math.min(perRound, count - made);
    for (let kind = 0; kind < calls.length; kind++) {
      const call = calls[kind];
      for (let i = 0; i < round; i++) {
        const start = process.hrtime.bigint();
        await call();
        samples[kind][made + i] = Number(process.hrtime.bigint() - start);
      }
    }
    made += round;
  }
  return samples.map((kind) => kind.subarray(0, made));
}

/** `workers` callers, each making sequential calls, up to `total` calls in all (or `budgetMs`); each call timed. */
export async function timeConcurrent(call: Call, total: number, workers: number, budgetMs = Infinity): Promise<Timed> {
  const samples = new Float64Array(total);
  const begin = process.hrtime.bigint();
  const deadline = begin + BigInt(Math.min(budgetMs, 3_600_000) * 1e6);
  let next = 0;
  let made = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      const start = process.hrtime.bigint();
      if (start > deadline) return;
      next++;
      await call();
      samples[made++] = Number(process.hrtime.bigint() - start);
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return { samples: samples.subarray(0, made), wallNs: Number(process.hrtime.bigint() - begin) };
}

export async function warmUp(call: Call, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await call();
}

/** p-th percentile (0..1) of the samples, nearest rank. */
export function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** Figures of per-call samples; throughput from the wall time, or from the samples' sum (sequential). */
export function figures(samples: Float64Array, calls: number, wallNs?: number): Figures {
  const sorted = Float64Array.from(samples).sort();
  const totalNs = wallNs ?? samples.reduce((sum, ns) => sum + ns, 0) * (calls / samples.length);
  return { p50Ns: percentile(sorted, 0.5), p99Ns: percentile(sorted, 0.99), callsPerSecond: (calls / totalNs) * 1e9 };
}

export function concat(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
