// The failure paths of the workflow definition (asl-validator runs in infra/test/state-machine.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const asl = readFileSync(
  join(import.meta.dirname, '../../../infra/state-machine/pipeline.asl.json'),
  'utf8',
);
describe('pipeline.asl.json failure paths', () => {
  it('catches every failure of a Task into RecordFailure, which ends in Failed', () => {
    const def = JSON.parse(asl) as {
      States: Record<
        string,
        { Type: string; Catch?: { ErrorEquals: string[]; Next: string }[]; Next?: string }
      >;
    };
    for (const name of ['Validate', 'Transform', 'Archive']) {
      expect(def.States[name]?.Catch).toEqual([
        expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'RecordFailure' }),
      ]);
    }
    expect(def.States.RecordFailure?.Next).toBe('Failed');
    expect(def.States.Failed?.Type).toBe('Fail');
    // a rejected group is the workflow doing its job: it must not count as a failed execution
    expect(def.States.GroupRejected).toMatchObject({ Type: 'Succeed' });
  });
});
