// The lifecycle of one group (one stream per group): completed -> validated | validation-failed
// -> (facts replaced) -> transformed | transform-failed -> archived. Commands report what the workflow observed;
// a command that repeats what already happened yields no events, so re-delivered messages and
// retried workflow tasks are harmless. A transform-failed group may be run again (`retry`): it
// records the validation it never got, then the transform; a rejected group never is (its data
// must be corrected and landed again).
import * as E from 'fp-ts/lib/Either.js';
import {
  assertNever,
  type Archived,
  type FactsReplaced,
  type GroupCompleted,
  type PipelineEvent,
  type RuleCount,
  type Transformed,
  type TransformFailed,
} from './events.js';
import type { ValidationVerdict } from './validation/verdict.js';

export type GroupStatus =
  | 'initial'
  | 'completed'
  | 'validated'
  | 'validation-failed'
  | 'transformed'
  | 'transform-failed'
  | 'archived';

export interface GroupState {
  readonly status: GroupStatus;
  readonly groupId: string | null;
  readonly manifestKey: string | null;
  readonly reportKey: string | null;
  readonly lastError: string | null;
  /** the recorded validation outcome (a Validate crash leaves it null) */
  readonly validation: 'passed' | 'failed' | null;
  /** order dates whose KPIs the transform must recompute (FactsReplaced), sorted */
  readonly touchedDates: readonly string[];
}

export interface ValidationSummary {
  readonly groupId: string;
  readonly reportKey: string;
  readonly ok: boolean;
  readonly warnings: readonly RuleCount[];
  readonly errors: readonly RuleCount[];
}

export type GroupCommand =
  | { readonly type: 'CompleteGroup'; readonly data: GroupCompleted['data'] }
  | { readonly type: 'RecordValidation'; readonly data: ValidationSummary }
  | { readonly type: 'RecordFactsReplaced'; readonly data: FactsReplaced['data'] }
  | { readonly type: 'RecordTransform'; readonly data: Transformed['data'] }
  /** any fault after the group completed (validate task crash or transform failure) */
  | { readonly type: 'RecordTransformFailure'; readonly data: TransformFailed['data'] }
  | { readonly type: 'ArchiveGroup'; readonly data: Archived['data'] };

export type GroupError =
  | { readonly _tag: 'GroupIdMismatch'; readonly expected: string; readonly actual: string }
  | {
      readonly _tag: 'InvalidTransition';
      readonly from: GroupStatus;
      readonly command: GroupCommand['type'];
    };

export const initialState = (): GroupState => ({
  status: 'initial',
  groupId: null,
  manifestKey: null,
  reportKey: null,
  lastError: null,
  validation: null,
  touchedDates: [],
});

/** The rule counts a lifecycle event carries, from a full verdict. */
export const summarizeVerdict = (
  groupId: string,
  reportKey: string,
  v: ValidationVerdict,
): ValidationSummary => {
  const count = (severity: 'error' | 'warn'): RuleCount[] =>
    v.rules
      .filter((r) => r.severity === severity && r.failed > 0)
      .map((r) => ({ rule: r.rule, failed: r.failed }));
  return { groupId, reportKey, ok: v.ok, warnings: count('warn'), errors: count('error') };
};

const invalid = (from: GroupStatus, command: GroupCommand): E.Either<GroupError, PipelineEvent[]> =>
  E.left({ _tag: 'InvalidTransition', from, command: command.type });

const emit = (...events: PipelineEvent[]): E.Either<GroupError, PipelineEvent[]> => E.right(events);
const nothing = (): E.Either<GroupError, PipelineEvent[]> => E.right([]);

/** which states a command may act in, and which mean "already done" */
const decideByStatus = (
  command: GroupCommand,
  { validation, lastError, touchedDates, status: s }: GroupState,
): E.Either<GroupError, PipelineEvent[]> => {
  // a retry of a group whose Validate task crashed: validation still has to happen
  const unvalidated = s === 'completed' || (s === 'transform-failed' && validation === null);
  // never transform data that was not validated, even on a retry
  const transformable = s === 'validated' || (s === 'transform-failed' && validation === 'passed');
  switch (command.type) {
    case 'CompleteGroup':
      return s === 'initial' ? emit({ type: 'GroupCompleted', data: command.data }) : nothing();
    case 'RecordValidation': {
      const { ok, groupId, reportKey, warnings, errors } = command.data;
      if (unvalidated) {
        return ok
          ? emit({ type: 'Validated', data: { groupId, reportKey, warnings } })
          : emit({ type: 'ValidationFailed', data: { groupId, reportKey, errors } });
      }
      if (validation === (ok ? 'passed' : 'failed')) return nothing();
      return invalid(s, command);
    }
    case 'RecordFactsReplaced': {
      if (!transformable)
        return s === 'transformed' || s === 'archived' ? nothing() : invalid(s, command);
      // dates already recorded are nothing new (a transform run again after a crash)
      const known = new Set(touchedDates);
      const dates = [...new Set(command.data.dates)].filter((d) => !known.has(d)).sort();
      return dates.length === 0
        ? nothing()
        : emit({ type: 'FactsReplaced', data: { groupId: command.data.groupId, dates } });
    }
    case 'RecordTransform':
      if (transformable) return emit({ type: 'Transformed', data: command.data });
      return s === 'transformed' || s === 'archived' ? nothing() : invalid(s, command);
    case 'RecordTransformFailure':
      if (s === 'completed' || s === 'validated')
        return emit({ type: 'TransformFailed', data: command.data });
      // the same failure re-delivered is nothing new; a retry that failed otherwise is
      if (s === 'transform-failed') {
        return lastError === command.data.error
          ? nothing()
          : emit({ type: 'TransformFailed', data: command.data });
      }
      return invalid(s, command);
    case 'ArchiveGroup':
      if (s === 'transformed') return emit({ type: 'Archived', data: command.data });
      return s === 'archived' ? nothing() : invalid(s, command);
    default:
      return assertNever(command);
  }
};

export const decide = (
  command: GroupCommand,
  state: GroupState,
): E.Either<GroupError, PipelineEvent[]> => {
  const actual = command.data.groupId;
  if (state.groupId !== null && state.groupId !== actual) {
    return E.left({ _tag: 'GroupIdMismatch', expected: state.groupId, actual });
  }
  return decideByStatus(command, state);
};

export const evolve = (state: GroupState, event: PipelineEvent): GroupState => {
  switch (event.type) {
    case 'GroupCompleted':
      return {
        ...state,
        status: 'completed',
        groupId: event.data.groupId,
        manifestKey: event.data.manifestKey,
      };
    case 'Validated':
      return {
        ...state,
        status: 'validated',
        reportKey: event.data.reportKey,
        validation: 'passed',
      };
    case 'ValidationFailed':
      return {
        ...state,
        status: 'validation-failed',
        reportKey: event.data.reportKey,
        validation: 'failed',
      };
    case 'FactsReplaced':
      return {
        ...state,
        touchedDates: [...new Set([...state.touchedDates, ...event.data.dates])].sort(),
      };
    case 'Transformed':
      return { ...state, status: 'transformed', lastError: null };
    case 'TransformFailed':
      return { ...state, status: 'transform-failed', lastError: event.data.error };
    case 'Archived':
      return { ...state, status: 'archived' };
    // events of other streams do not touch a group
    case 'FileLanded':
    case 'FileRejected':
    case 'OrdersStale':
      return state;
    default:
      return assertNever(event);
  }
};

/**
 * What a workflow step should do in this state, asked of decide itself so no use case restates
 * its guards: 'run' when the command would record something, 'done' when it already happened,
 * 'refused' (with the reason) when the state does not allow it.
 */
export type StepNeed =
  | { readonly _tag: 'run' }
  | { readonly _tag: 'done' }
  | { readonly _tag: 'refused'; readonly error: GroupError };

export const stepNeed = (command: GroupCommand, state: GroupState): StepNeed => {
  const decided = decide(command, state);
  if (E.isLeft(decided)) return { _tag: 'refused', error: decided.left };
  return decided.right.length > 0 ? { _tag: 'run' } : { _tag: 'done' };
};

/** the state after replaying a stream */
export const replayGroup = (events: Iterable<PipelineEvent>): GroupState => {
  let state = initialState();
  for (const e of events) state = evolve(state, e);
  return state;
};
