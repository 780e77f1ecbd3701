// Runs an async function over many inputs with at most `limit` calls in flight.
export const mapLimit = async <A, B>(
  inputs: readonly A[],
  limit: number,
  run: (a: A) => Promise<B>,
): Promise<B[]> => {
  const out = new Array<B>(inputs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < inputs.length) {
      const i = next++;
      out[i] = await run(inputs[i] as A);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, inputs.length) }, worker));
  return out;
};
