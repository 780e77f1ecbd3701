import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { PipelineEvent } from '../../../src/domain/events.js';
import {
  decide,
  evolve,
  initialState,
  replayGroup,
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
    ['a validation after the Validate task crashed', [complete, transformFail], validOk],
  ])('refuses %s', (_name, before, command) => {
    const { state } = run(before);
    const out = decide(command, state);
    expect(E.isLeft(out) && out.left._tag).toBe('InvalidTransition');
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
