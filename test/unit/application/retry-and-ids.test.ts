// Invariants: I/O retries are bounded with exponential, jittered pauses; group ids depend on the
// landing and content only (not on the order completions come back in); the ASL holds no account values.
import { completionColumnsOf } from '../../../src/domain/completion-columns.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retryIo } from '../../../src/application/retry.js';
import { groupIdSource, type ManifestOrder } from '../../../src/domain/group-manifest.codec.js';
import { substitute } from '../../../src/adapters/local-sfn/local-sfn-workflow-starter.js';

describe('retryIo', () => {
  it('makes at most 3 attempts, pausing up to base * 2^(n-1) each time', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 6 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        async (failures, r) => {
          let calls = 0;
          const pauses: number[] = [];
          const action = async () => {
            calls++;
            if (calls <= failures) throw new Error('disk busy');
            return 'ok';
          };
          const run = retryIo(action, {
            baseMs: 100,
            random: () => r,
            sleep: async (ms) => void pauses.push(ms),
          });
          if (failures >= 3) await expect(run).rejects.toThrow('disk busy');
          else await expect(run).resolves.toBe('ok');
          expect(calls).toBe(Math.min(failures + 1, 3));
          pauses.forEach((ms, i) => expect(ms).toBeLessThanOrEqual(100 * 2 ** i));
        },
      ),
    );
  });

  it('does not retry what the caller marks as not retryable', async () => {
    let calls = 0;
    const run = retryIo(
      async () => {
        calls++;
        throw new Error('bad data');
      },
      { retryable: () => false, sleep: async () => {} },
    );
    await expect(run).rejects.toThrow('bad data');
    expect(calls).toBe(1);
  });
});

const location = { key: 'incoming/x.csv', stagedKey: 'staging/orders/h.parquet', hash: 'h' };
const orderArb = fc.record({
  orderId: fc.string({ minLength: 1, maxLength: 6 }),
  fingerprint: fc.string({
    unit: fc.constantFrom(...'0123456789abcdef'),
    minLength: 4,
    maxLength: 8,
  }),
});

describe('groupIdSource', () => {
  it('is the same for any order of the same completions, and differs when a fingerprint or the landing changes', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(orderArb, { minLength: 1, selector: (o) => o.orderId }),
        (parts) => {
          const orders: ManifestOrder[] = parts.map((p) => ({
            ...p,
            createdAt: 0,
            order: location,
            items: [],
            products: [],
          }));
          const landing = 'staging/orders/aa.parquet';
          const cols = (os: ManifestOrder[]) => completionColumnsOf(os);
          const id = groupIdSource(landing, cols(orders));
          expect(groupIdSource(landing, cols([...orders].reverse()))).toBe(id);
          const changed = orders.map((o, i) =>
            i === 0 ? { ...o, fingerprint: `${o.fingerprint}x` } : o,
          );
          expect(groupIdSource(landing, cols(changed))).not.toBe(id);
          // the same content completed again by a later landing is a new completion
          expect(groupIdSource('staging/orders/bb.parquet', cols(orders))).not.toBe(id);
        },
      ),
    );
  });
});

describe('pipeline.asl.json', () => {
  const asl = readFileSync(
    join(import.meta.dirname, '../../../infra/state-machine/pipeline.asl.json'),
    'utf8',
  );
  it('names no account or region: every resource value comes in as a substitution', () => {
    expect(asl).not.toMatch(/\d{12}/);
    expect(asl).not.toMatch(/arn:aws:(ecs|lambda):/);
    const names = new Set([...asl.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
    expect([...names].sort()).toEqual(
      [
        'AssignPublicIp',
        'ClusterArn',
        'Partition',
        'ContainerName',
        'SecurityGroupId',
        'SubnetA',
        'SubnetB',
        'TaskDefinitionArn',
        'WorkflowTaskFunctionArn',
      ].sort(),
    );
    expect(substitute(asl, Object.fromEntries([...names].map((n) => [n, 'x'])))).not.toContain(
      '${',
    );
  });

  it('never retries data errors; retries with exponential backoff and full jitter', () => {
    const def = JSON.parse(asl) as {
      States: Record<
        string,
        {
          Retry?: {
            ErrorEquals: string[];
            BackoffRate: number;
            MaxAttempts: number;
            JitterStrategy: string;
          }[];
        }
      >;
    };
    const retries = Object.values(def.States).flatMap((s) => s.Retry ?? []);
    expect(retries.length).toBeGreaterThanOrEqual(4);
    for (const r of retries) {
      expect(r.ErrorEquals).not.toContain('States.ALL');
      // a DataError retrier exists only to stop a broader one from matching (MaxAttempts 0)
      if (r.ErrorEquals.includes('DataError')) {
        expect(r).toMatchObject({ ErrorEquals: ['DataError'], MaxAttempts: 0 });
        continue;
      }
      expect(r).toMatchObject({ BackoffRate: 2, JitterStrategy: 'FULL' });
      expect(r.MaxAttempts).toBeGreaterThanOrEqual(1);
      expect(r.MaxAttempts).toBeLessThanOrEqual(4);
    }
  });
});
