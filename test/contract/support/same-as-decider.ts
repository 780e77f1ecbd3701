// An adapter and the in-memory decider fed the same landings side by side: after each, the same
// completions (compared in order-id order, since an adapter may answer in its key order) and,
// when asked, the same pending orders. One loop for the adapters' properties against the decider.
import { expect } from 'vitest';
import { completionsOf, type CompletionColumns } from '../../../src/domain/completion-columns.js';
import type { OrderCompletion } from '../../../src/domain/order-completion.types.js';
import type { LandingKeys, ReferenceIndex } from '../../../src/ports/reference-index.port.js';

export const byOrderId = (cs: readonly OrderCompletion[]): OrderCompletion[] =>
  [...cs].sort((a, b) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));

/**
 * lands `landings` in turn (landing i at time i) through `register` and on `decider`, expecting
 * equal completions each time, and equal `pending()` when `pendingOf` is given
 */
export async function expectSameAsDecider(
  landings: readonly LandingKeys[],
  register: (landing: LandingKeys, at: number) => Promise<CompletionColumns>,
  decider: ReferenceIndex,
  pendingOf?: ReferenceIndex,
): Promise<void> {
  for (const [at, landing] of landings.entries()) {
    const [got, want] = await Promise.all([register(landing, at), decider.register(landing, at)]);
    expect(byOrderId(completionsOf(got))).toEqual(byOrderId(completionsOf(want)));
    if (pendingOf !== undefined) expect(await pendingOf.pending()).toEqual(await decider.pending());
  }
}
