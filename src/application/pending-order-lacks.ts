// What a pending order still lacks, in words: the one phrasing `status` and the HTML report both
// print, so a reader never sees "2 of 3 items" meaning landed in one place and missing in the
// other.
import type { PendingOrder } from '../ports/reference-index.port.js';

/** one phrase per missing part; with the rejected files that may hold them when known */
export const whatItLacks = (
  p: PendingOrder & { readonly waitsOnRejected?: readonly string[] },
): string[] => {
  const parts: string[] = [];
  if (!p.hasOrderRow) parts.push('the order row');
  if (p.expectedItems === null)
    parts.push(`items: ${p.landedItems} landed, count unknown until the order row lands`);
  else if (p.landedItems < p.expectedItems)
    parts.push(
      `${p.expectedItems - p.landedItems} of ${p.expectedItems} items (${p.landedItems} landed)`,
    );
  else if (p.landedItems > p.expectedItems)
    parts.push(`items: ${p.landedItems} landed, the order row says ${p.expectedItems}`);
  if (p.missingProducts.length > 0) parts.push(`products ${p.missingProducts.join(', ')}`);
  if (p.waitsOnRejected !== undefined && p.waitsOnRejected.length > 0)
    parts.push(`(rejected: ${p.waitsOnRejected.join(', ')})`);
  return parts;
};
