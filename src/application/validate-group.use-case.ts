// Workflow stage Validate: the group rules and cross-file checks over the group's staged rows,
// plus the row rules again (defence in depth); the merged verdict decides the group's fate.
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import {
  stepNeed,
  summarizeVerdict,
  type GroupCommand,
} from '../domain/group-lifecycle.decider.js';
import { validateGroup } from '../domain/validation/group-rules.js';
import { mergeVerdicts } from '../domain/validation/merge-verdicts.js';
import type { ValidationVerdict } from '../domain/validation/verdict.js';
import type { Clock } from '../ports/clock.port.js';
import type { EventBus } from '../ports/event-bus.port.js';
import type { EventStore } from '../ports/event-store.port.js';
import type { ObjectStore } from '../ports/object-store.port.js';
import type { TaskResult } from '../ports/task-runner.port.js';
import type { GroupTaskInput } from '../ports/workflow.port.js';
import { groupErrorMessage, groupState, isoAt, runGroupCommand } from './event-log.js';
import { readManifest, type WorkflowDataError } from './group-manifest-reader.js';
import type { RowRuleChecks } from './staged-row-rules.js';
import type { StagedRows } from './staged-rows.js';

export const groupReportKey = (groupId: string): string => `reports/${groupId}/verdict.json`;

/** the landing row rules, run again over staged rows batch by batch (staged-row-rules.ts) */
export type RowRules = () => RowRuleChecks;

const NO_ROW_RULES: RowRules = () => ({
  add: () => undefined,
  fileRead: () => undefined,
  adopt: () => false,
  finish: () => [],
});

/** rows the manifest names but staging no longer holds: the group cannot be trusted */
const missingRowsVerdict = (groupId: string, missing: number): ValidationVerdict => ({
  subject: groupId,
  dataset: null,
  ok: false,
  rowsChecked: missing,
  rules: [
    {
      rule: 'group.references-present',
      severity: 'error',
      scope: 'group',
      checked: missing,
      failed: missing,
      samples: [
        {
          file: groupId,
          line: 0,
          key: null,
          value: String(missing),
          message: `${missing} staged row(s) named by the group manifest were not found; land the files again`,
        },
      ],
    },
  ],
});

export class ValidateGroup {
  constructor(
    private readonly objects: ObjectStore,
    private readonly events: EventStore,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly staged: StagedRows,
    private readonly rowRules: RowRules = NO_ROW_RULES,
  ) {}

  async execute(input: GroupTaskInput): Promise<Either<WorkflowDataError, TaskResult>> {
    const { groupId, manifestKey } = input;
    const reportKey = groupReportKey(groupId);
    const done = (ok: boolean): Either<WorkflowDataError, TaskResult> =>
      right({ groupId, manifestKey, ok, reportKey });
    const state = await groupState(this.events, groupId);
    const probe: GroupCommand = {
      type: 'RecordValidation',
      data: { groupId, reportKey, ok: true, warnings: [], errors: [] },
    };
    const need = stepNeed(probe, state);
    if (need._tag !== 'run') {
      // a repeated step answers from the log instead of validating again
      if (state.validation !== null) return done(state.validation === 'passed');
      if (need._tag === 'refused')
        return left({ _tag: 'InvalidTransition', message: groupErrorMessage(need.error) });
      return done(true);
    }
    const manifest = await readManifest(this.objects, manifestKey, groupId);
    if (isLeft(manifest)) return manifest;
    const { completions } = manifest.right;
    // the row rules see each selected row with every column as it is read; the rows kept for
    // the group rules (and Transform) hold only the columns the stages read
    const rowChecks = this.rowRules();
    const data = await this.staged.load(completions, rowChecks);
    const verdict = mergeVerdicts(groupId, [
      validateGroup(groupId, data),
      ...rowChecks.finish(),
      ...(data.missing > 0 ? [missingRowsVerdict(groupId, data.missing)] : []),
    ]);
    // a failed group is never transformed: nothing will read its staged rows again
    if (!verdict.ok) this.staged.release(completions);
    await this.objects.put(reportKey, JSON.stringify(verdict, null, 2));
    const recorded = await runGroupCommand(
      this.events,
      this.bus,
      { type: 'RecordValidation', data: summarizeVerdict(groupId, reportKey, verdict) },
      isoAt(this.clock.now()),
    );
    if (isLeft(recorded)) {
      return left({ _tag: 'InvalidTransition', message: groupErrorMessage(recorded.left) });
    }
    return done(verdict.ok);
  }
}
