// A small linear congruential generator: the benchmarks' generated inputs are
// the same from run to run, so runs of different builds read the same bytes.
export function seededRandom(seed = 12345): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}
