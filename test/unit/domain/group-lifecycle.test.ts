import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PipelineEvent } from '../../../src/domain/events.js';
import {
  decide,
  evolve,
  initialState,
  replayGroup,
  stepNeed,
  summarizeVerdict,
  type GroupCommand,
  type GroupState,
} from '../../../src/domain/group-lifecycle.decider.js';
import type { ValidationVerdict } from '../../../src/domain/validation/verdict.js';

const g = 'g1';
const complete: GroupCommand = {
  type: 'CompleteGroup',
  data: {
    groupId: g,
    fileKey: 'incoming/orders/a.csv',
    orderCount: 3,
    manifestKey: 'groups/g1/manifest.json',
  },
};
const validOk: GroupCommand = {
  type: 'RecordValidation',
  data: {
    groupId: g,
    reportKey: 'reports/g1/verdict.json',
    ok: true,
    warnings: [{ rule: 'ref.item-user', failed: 1 }],
    errors: [],
  },
};
const validBad: GroupCommand = {
  type: 'RecordValidation',
  data: {
    groupId: g,
    reportKey: 'reports/g1/verdict.json',
    ok: false,
    warnings: [],
    errors: [{ rule: 'group.item-count', failed: 2 }],
  },
};
const transform: GroupCommand = {
  type: 'RecordTransform',
  data: { groupId: g, facts: 7, dates: ['2025-03-01'] },
};
const transformFail: GroupCommand = {
  type: 'RecordTransformFailure',
  data: { groupId: g, error: 'disk full' },
};
const archive: GroupCommand = {
  type: 'ArchiveGroup',
  data: { groupId: g, files: ['incoming/orders/a.csv'] },
};

/** applies commands in turn, failing the test on a Left */
const run = (commands: readonly GroupCommand[]): { state: GroupState; events: PipelineEvent[] } => {
  let state = initialState();
  const events: PipelineEvent[] = [];
  for (const c of commands) {
    const out = decide(c, state);
    if (E.isLeft(out)) throw new Error(`refused ${c.type}: ${JSON.stringify(out.left)}`);
    for (const e of out.right) {
      events.push(e);
      state = evolve(state, e);
    }
  }
  return { state, events };
};

describe('group lifecycle decider', () => {
  it('walks the happy path completed -> validated -> transformed -> archived', () => {
    const { state, events } = run([complete, validOk, transform, archive]);
    expect(events.map((e) => e.type)).toEqual([
      'GroupCompleted',
      'Validated',
      'Transformed',
      'Archived',
    ]);
    expect(events[1]).toEqual({
      type: 'Validated',
      data: {
        groupId: g,
        reportKey: 'reports/g1/verdict.json',
        warnings: [{ rule: 'ref.item-user', failed: 1 }],
      },
    });
    expect(state).toMatchObject({
      status: 'archived',
      groupId: g,
      manifestKey: 'groups/g1/manifest.json',
    });
  });

  it('records a failed validation as ValidationFailed with its error counts', () => {
    const { state, events } = run([complete, validBad]);
    expect(events[1]).toEqual({
      type: 'ValidationFailed',
      data: {
        groupId: g,
        reportKey: 'reports/g1/verdict.json',
        errors: [{ rule: 'group.item-count', failed: 2 }],
      },
    });
    expect(state.status).toBe('validation-failed');
  });

  it('records a transform failure, and a later successful retry', () => {
    const failed = run([complete, validOk, transformFail]);
    expect(failed.state).toMatchObject({ status: 'transform-failed', lastError: 'disk full' });
    const retried = run([complete, validOk, transformFail, transform]);
    expect(retried.state).toMatchObject({ status: 'transformed', lastError: null });
  });

  it('yields no events when a command repeats what already happened', () => {
    const once = run([complete, validOk, transform, archive]);
    const twice = run([
      complete,
      complete,
      validOk,
      validOk,
      transform,
      transform,
      validOk,
      archive,
      archive,
      complete,
    ]);
    expect(twice.events).toEqual(once.events);
    expect(run([complete, validBad, validBad]).events).toHaveLength(2);
    expect(run([complete, transformFail, transformFail]).events).toHaveLength(2);
  });

  it.each<[string, GroupCommand[], GroupCommand]>([
    ['validation before completion', [], validOk],
    ['transform before validation', [complete], transform],
    ['transform of a rejected group', [complete, validBad], transform],
    ['archive before transform', [complete, validOk], archive],
    ['a contradicting validation outcome', [complete, validOk], validBad],
    ['a failure after the transform succeeded', [complete, validOk, transform], transformFail],
    ['a transform of a failed group that never validated', [complete, transformFail], transform],
    ['retrying a rejected group (it needs corrected data)', [complete, validBad], transformFail],
    ['validating a rejected group again with another outcome', [complete, validBad], validOk],
  ])('refuses %s', (_name, before, command) => {
    const { state } = run(before);
    const out = decide(command, state);
    expect(E.isLeft(out) && out.left._tag).toBe('InvalidTransition');
  });

  it('retries a group whose Validate task crashed: validation first, then the rest', () => {
    const { state, events } = run([complete, transformFail, validOk, transform, archive]);
    expect(events.map((e) => e.type)).toEqual([
      'GroupCompleted',
      'TransformFailed',
      'Validated',
      'Transformed',
      'Archived',
    ]);
    expect(state).toMatchObject({ status: 'archived', validation: 'passed', lastError: null });
    // the retry may also find the data bad: then it is rejected like any group
    const rejected = run([complete, transformFail, validBad]);
    expect(rejected.state).toMatchObject({ status: 'validation-failed', validation: 'failed' });
  });

  it('retries a validated group straight into the transform (its verdict stands)', () => {
    const before = run([complete, validOk, transformFail]);
    expect(decide(validOk, before.state)).toEqual(E.right([]));
    const { events, state } = run([complete, validOk, transformFail, validOk, transform, archive]);
    expect(events.map((e) => e.type)).toEqual([
      'GroupCompleted',
      'Validated',
      'TransformFailed',
      'Transformed',
      'Archived',
    ]);
    expect(state.status).toBe('archived');
  });

  it('records a retry that failed again only when the reason is new', () => {
    const again: GroupCommand = {
      type: 'RecordTransformFailure',
      data: { groupId: g, error: 'connection reset' },
    };
    const { events, state } = run([complete, validOk, transformFail, transformFail, again]);
    expect(events.map((e) => e.type)).toEqual([
      'GroupCompleted',
      'Validated',
      'TransformFailed',
      'TransformFailed',
    ]);
    expect(state.lastError).toBe('connection reset');
  });

  it('never transforms unvalidated data, and a command repeated at once adds nothing', () => {
    const command = fc.constantFrom(complete, validOk, validBad, transform, transformFail, archive);
    fc.assert(
      fc.property(fc.array(command, { maxLength: 12 }), (commands) => {
        let state = initialState();
        for (const c of commands) {
          const out = decide(c, state);
          if (E.isLeft(out)) continue;
          for (const e of out.right) {
            if (e.type === 'Transformed') expect(state.validation).toBe('passed');
            state = evolve(state, e);
          }
          if (out.right.length > 0) expect(decide(c, state)).toEqual(E.right([]));
        }
      }),
    );
  });

  it('refuses a command for another group', () => {
    const { state } = run([complete]);
    const other: GroupCommand = { ...transform, data: { ...transform.data, groupId: 'g2' } };
    expect(decide(other, state)).toEqual(
      E.left({ _tag: 'GroupIdMismatch', expected: g, actual: 'g2' }),
    );
  });

  it('rebuilds the same state by replay, ignoring events of other streams', () => {
    const { state, events } = run([complete, validOk, transform]);
    const noise: PipelineEvent = {
      type: 'OrdersStale',
      data: { orderIds: ['O1'], olderThanHours: 24, asOf: 'x' },
    };
    expect(replayGroup([events[0] as PipelineEvent, noise, ...events.slice(1)])).toEqual(state);
  });

  it('summarizes a verdict into the counts the events carry', () => {
    const verdict: ValidationVerdict = {
      subject: g,
      dataset: null,
      ok: false,
      rowsChecked: 9,
      rules: [
        {
          rule: 'ref.item-user',
          severity: 'warn',
          scope: 'group',
          checked: 3,
          failed: 1,
          samples: [],
        },
        {
          rule: 'group.item-count',
          severity: 'error',
          scope: 'group',
          checked: 3,
          failed: 2,
          samples: [],
        },
        {
          rule: 'group.references-present',
          severity: 'error',
          scope: 'group',
          checked: 3,
          failed: 0,
          samples: [],
        },
      ],
    };
    expect(summarizeVerdict(g, 'r.json', verdict)).toEqual({
      groupId: g,
      reportKey: 'r.json',
      ok: false,
      warnings: [{ rule: 'ref.item-user', failed: 1 }],
      errors: [{ rule: 'group.item-count', failed: 2 }],
    });
  });
});

const replaced = (...dates: string[]): GroupCommand => ({
  type: 'RecordFactsReplaced',
  data: { groupId: g, dates },
});

describe('touched dates in the log (FactsReplaced)', () => {
  it('records each date once, keeps them across a failure, and refuses them before validation', () => {
    const { state, events } = run([
      complete,
      validOk,
      replaced('2025-03-04', '2025-03-01'),
      transformFail,
      // the retry's facts write no longer sees the date the order left: nothing is lost
      replaced('2025-03-04'),
    ]);
    expect(events.filter((e) => e.type === 'FactsReplaced').map((e) => e.data)).toEqual([
      { groupId: g, dates: ['2025-03-01', '2025-03-04'] },
    ]);
    expect(state.touchedDates).toEqual(['2025-03-01', '2025-03-04']);
    expect(E.isLeft(decide(replaced('2025-03-01'), run([complete]).state))).toBe(true);
  });

  it('any split of the dates over repeated records folds to their union', () => {
    const date = fc
      .integer({ min: 1, max: 28 })
      .map((d) => `2025-03-${String(d).padStart(2, '0')}`);
    fc.assert(
      fc.property(fc.array(fc.array(date, { maxLength: 4 }), { maxLength: 5 }), (batches) => {
        const { state } = run([complete, validOk, ...batches.map((b) => replaced(...b))]);
        expect(state.touchedDates).toEqual([...new Set(batches.flat())].sort());
        expect(state.status).toBe('validated');
      }),
    );
  });
});

describe('stepNeed', () => {
  it('answers run / done / refused from decide alone', () => {
    const validated = run([complete, validOk]).state;
    expect(stepNeed(transform, validated)._tag).toBe('run');
    expect(stepNeed(transform, run([complete, validOk, transform]).state)._tag).toBe('done');
    expect(stepNeed(transform, run([complete]).state)._tag).toBe('refused');
    expect(stepNeed(archive, run([complete, validOk, transform, archive]).state)._tag).toBe('done');
  });
});
