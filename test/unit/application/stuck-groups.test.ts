// The stuck rule: a non-terminal group whose last event is older than its workflow's longest life
// (execution timeout + publish redeliveries). Time comes from the caller, never from the system.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retryableOf } from '../../../src/application/retry-groups.use-case.js';
import {
  isStuck,
  STUCK_AFTER_MS,
  WORKFLOW_TIMEOUT_SECONDS,
} from '../../../src/application/stuck-groups.js';
import type { GroupStatus } from '../../../src/domain/group-lifecycle.decider.js';

const LAST = '2025-04-01T00:00:00.000Z';
const at = Date.parse(LAST);
const RUNNING: GroupStatus[] = ['completed', 'validated', 'transformed'];
const TERMINAL: GroupStatus[] = ['archived', 'validation-failed', 'transform-failed'];

describe('isStuck', () => {
  it('is not stuck just under the limit, and stuck just over it', () => {
    for (const status of RUNNING) {
      expect(isStuck({ status, lastEventAt: LAST }, at + STUCK_AFTER_MS - 1)).toBe(false);
      expect(isStuck({ status, lastEventAt: LAST }, at + STUCK_AFTER_MS)).toBe(false);
      expect(isStuck({ status, lastEventAt: LAST }, at + STUCK_AFTER_MS + 1)).toBe(true);
    }
  });

  it('outlasts the execution timeout: a group may still be running just after it', () => {
    expect(STUCK_AFTER_MS).toBeGreaterThan(WORKFLOW_TIMEOUT_SECONDS * 1000);
    expect(isStuck({ status: 'validated', lastEventAt: LAST }, at + 6 * 3_600_000 + 1)).toBe(false);
  });

  it('never calls a terminal or unknown group stuck, however old', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<GroupStatus>(...TERMINAL, 'initial'),
        fc.nat({ max: 10 * 365 * 86_400_000 }),
        (status, age) => !isStuck({ status, lastEventAt: LAST }, at + age),
      ),
    );
  });

  it('calls a running group stuck exactly when its silence passes the limit', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...RUNNING),
        fc.integer({ min: -86_400_000, max: 3 * STUCK_AFTER_MS }),
        (status, age) => isStuck({ status, lastEventAt: LAST }, at + age) === age > STUCK_AFTER_MS,
      ),
    );
  });
});

describe('retryableOf', () => {
  const view = (groupId: string, status: GroupStatus) => ({
    groupId,
    status,
    orderCount: 1,
    fileKey: 'orders.csv',
    error: null,
    lastEventAt: LAST,
  });
  const groups = [
    view('a', 'archived'),
    view('b', 'transform-failed'),
    view('c', 'completed'),
    view('d', 'validation-failed'),
    view('e', 'transformed'),
  ];

  it('takes the transform-failed groups always, and the running ones once they are stuck', () => {
    expect(retryableOf(groups, at + STUCK_AFTER_MS)).toEqual([
      { groupId: 'b', status: 'transform-failed', stuckSince: null },
    ]);
    expect(retryableOf(groups, at + STUCK_AFTER_MS + 1)).toEqual([
      { groupId: 'b', status: 'transform-failed', stuckSince: null },
      { groupId: 'c', status: 'completed', stuckSince: LAST },
      { groupId: 'e', status: 'transformed', stuckSince: LAST },
    ]);
  });
});
