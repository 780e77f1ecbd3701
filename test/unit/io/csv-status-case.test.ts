// Statuses are stored lower case; the decoder shares one string per distinct value (up to 256,
// then lower-cases each cell). Either way every cell must read as its own lower-case text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StringColumn } from '../../../src/domain/columns.js';
import { decodeAll } from './csv-helpers.js';

const HEADER = 'order_id,user_id,status,created_at,returned_at,shipped_at,delivered_at,num_of_item';

describe('status cells', () => {
  it('read as their lower-case text, past the shared-value limit too', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.stringMatching(/^[A-Za-zÄÉäé]{1,3}$/), { minLength: 1, maxLength: 400 }),
        async (statuses) => {
          const rows = statuses.map((s, i) => `${i},u,${s},2025-01-01T00:00:00,,,,1`);
          const { batches } = await decodeAll(`${HEADER}\n${rows.join('\n')}\n`, {}, 4096);
          const got = batches.flatMap((b) => [...(b.columns['status'] as StringColumn).values]);
          expect(got).toEqual(statuses.map((s) => s.toLowerCase()));
        },
      ),
      { numRuns: 30 },
    );
  });
});
