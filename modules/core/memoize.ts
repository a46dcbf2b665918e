// Work that synth repeats for every environment with the same inputs (the same construct ids, the
// same Lambda zips, the same region's CA bundle): done once per process per key.

/** `compute`, run once for each distinct key; `compute` must give the same result for a key every time. */
export function memoize<K, V>(compute: (key: K) => V): (key: K) => V {
  const known = new Map<K, V>();
  return (key) => {
    if (known.has(key)) return known.get(key) as V;
    const value = compute(key);
    known.set(key, value);
    return value;
  };
}
