// A file that could not be read as a dataset's CSV still gets a verdict, so a rejected file always
// says why in the same shape as any other rejection.
// (The shape of the CSV decoder port's FileProblem, restated: the domain imports no port.)
import type { DatasetName } from '../datasets.js';
import type { RuleId, ValidationVerdict } from './verdict.js';

type FileProblemTag =
  | 'NotText'
  | 'Empty'
  | 'UnknownHeader'
  | 'MissingColumns'
  | 'DuplicateColumns'
  | 'DatasetMismatch'
  | 'Malformed';

interface FileProblem {
  readonly _tag: FileProblemTag;
  readonly message: string;
  readonly line?: number;
  readonly dataset?: DatasetName;
}

const RULE_OF: Record<FileProblemTag, RuleId> = {
  NotText: 'file.not-text',
  Empty: 'file.empty',
  Malformed: 'file.malformed',
  UnknownHeader: 'schema.columns',
  MissingColumns: 'schema.columns',
  DatasetMismatch: 'schema.columns',
  DuplicateColumns: 'schema.duplicate-columns',
};

export function verdictForProblem(file: string, problem: FileProblem): ValidationVerdict {
  return {
    subject: file,
    dataset: problem.dataset ?? null,
    ok: false,
    rowsChecked: 0,
    rules: [
      {
        rule: RULE_OF[problem._tag],
        severity: 'error',
        scope: 'file',
        checked: 1,
        failed: 1,
        samples: [
          { file, line: problem.line ?? 0, key: null, value: null, message: problem.message },
        ],
      },
    ],
  };
}
