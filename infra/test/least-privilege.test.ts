// Least privilege, read from the synthesised policies: every principal gets only its bucket
// prefixes, tables and bus, the state machine only its task, roles and function, and nothing
// grants S3 or DynamoDB actions on "*". The template's shape is enough: no bundling, no cdk-nag.
import { beforeAll, describe, expect, it } from 'vitest';
import { BUCKET_ACCESS, keys, type BucketAccess } from '../lib/layout.js';
import { codeAccess } from './code-access.js';
import { allStatements, statementsOfRole, type Statement } from './iam.js';
import { logicalIdOf, synthPipeline, type Synthesised } from './synth.js';

let synth: Synthesised;
beforeAll(() => {
  synth = synthPipeline({ bundle: false, nag: false });
}, 600_000);

describe('IAM least privilege', () => {
  const touchesData = (s: Statement) =>
    s.actions.some((a) => a === '*' || a.startsWith('s3:') || a.startsWith('dynamodb:'));

  it('never grants S3 or DynamoDB actions (or any action "*") on resource "*"', () => {
    const statements = allStatements(synth.template);
    expect(statements.length).toBeGreaterThan(10);
    const offending = statements.filter(
      (s) => s.effect === 'Allow' && touchesData(s) && s.resources.includes('"*"'),
    );
    expect(offending).toEqual([]);
    expect(statements.filter((s) => s.actions.includes('*'))).toEqual([]);
  });

  const role = (construct: Parameters<typeof logicalIdOf>[0]) =>
    statementsOfRole(synth.template, logicalIdOf(construct));
  /** the key patterns a role's statements grant an action on ('' = the bucket itself) */
  const keyPatterns = (statements: Statement[], action: string) =>
    statements
      .filter((s) => s.actions.includes(action))
      .flatMap((s) => s.resources)
      .filter((r) => r.includes('Bucket') || r.includes('Data'))
      .map((r) => /"\/([^"]+)"\]\]\}$/.exec(r)?.[1] ?? '')
      .sort();
  const granted = (patterns: string[], key: string) =>
    patterns.some(
      (p) => p !== '' && new RegExp(`^${p.split('*').map(escape).join('.*')}$`).test(key),
    );
  const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

  it('grants each principal every key the code reads, writes and deletes (derived by running it)', async () => {
    const used = await codeAccess();
    const { functions, tasks } = synth.stack;
    const roles = {
      ingest: role(functions.ingest.role!),
      task: role(tasks.taskDefinition.taskRole),
      workflowTask: role(functions.workflowTask.role!),
      // the ECS ingest task runs the ingest Lambda's code (LandFile) on bigger files
      ingestTask: role(tasks.ingestTaskDefinition.taskRole),
    };
    const usedBy = { ...used, ingestTask: used.ingest };
    const action = { read: 's3:GetObject*', put: 's3:PutObject', delete: 's3:DeleteObject*' };
    const denied: string[] = [];
    const checked: string[] = [];
    for (const [principal, statements] of Object.entries(roles)) {
      for (const [kind, keys] of Object.entries(usedBy[principal as keyof typeof roles] ?? {})) {
        const patterns = keyPatterns(statements, action[kind as keyof typeof action]);
        for (const key of keys) {
          // list(prefix) is ListBucket on the bucket: granted with grantRead, not per key
          if (key.endsWith('/')) continue;
          checked.push(`${principal} ${kind} ${key}`);
          if (!granted(patterns, key)) denied.push(`${principal} may not ${kind} ${key}`);
        }
      }
    }
    expect(checked.length).toBeGreaterThan(10);
    // the transform's writes are among those checked (facts and KPIs as Delta files)
    expect(checked.some((c) => c.startsWith('task put delta/'))).toBe(true);
    expect(denied).toEqual([]);
  });

  it('scopes each principal to the key patterns of its BUCKET_ACCESS entry, nothing more', () => {
    const { functions, tasks } = synth.stack;
    const expectPatterns = (statements: Statement[], access: BucketAccess) => {
      expect(keyPatterns(statements, 's3:GetObject*').filter((p) => p !== '')).toEqual(
        access.read.map(keys).sort(),
      );
      expect(keyPatterns(statements, 's3:PutObject')).toEqual(access.put.map(keys).sort());
      expect(keyPatterns(statements, 's3:DeleteObject*')).toEqual(access.delete.map(keys).sort());
    };
    expectPatterns(role(functions.ingest.role!), BUCKET_ACCESS.ingest);
    expectPatterns(role(tasks.ingestTaskDefinition.taskRole), BUCKET_ACCESS.ingest);
    expectPatterns(role(functions.workflowTask.role!), BUCKET_ACCESS.workflowTask);
    expectPatterns(role(tasks.taskDefinition.taskRole), BUCKET_ACCESS.task);
    // the manifests stay the ingest function's: the task may write touched-dates.json only
    expect(keyPatterns(role(tasks.taskDefinition.taskRole), 's3:PutObject')).not.toContain(
      'groups/*',
    );
    expect(
      role(functions.events.role!).filter((s) => s.actions.some((a) => a.startsWith('s3:'))),
    ).toEqual([]);
  });

  it('gives each principal only its tables', () => {
    const { functions, tasks, storage } = synth.stack;
    const tablesWritten = (statements: Statement[]) =>
      [
        ...new Set(
          statements
            .filter((s) => s.actions.includes('dynamodb:PutItem'))
            .flatMap((s) => s.resources)
            .filter((r) => !r.includes('/index/')),
        ),
      ].sort();
    const arn = (t: Parameters<typeof logicalIdOf>[0]) =>
      JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(t), 'Arn'] });
    for (const ingesting of [functions.ingest.role!, tasks.ingestTaskDefinition.taskRole]) {
      expect(tablesWritten(role(ingesting))).toEqual(
        [arn(storage.tables.events), arn(storage.tables.reference)].sort(),
      );
    }
    const eventsFn = role(functions.events.role!);
    expect(eventsFn.filter((s) => s.actions.some((a) => a.startsWith('dynamodb:')))).toEqual([]);
    expect(tablesWritten(role(tasks.taskDefinition.taskRole))).toEqual(
      [
        storage.tables.events,
        storage.tables.facts,
        storage.tables.orderKpis,
        storage.tables.categoryKpis,
      ]
        .map(arn)
        .sort(),
    );
  });

  it('lets the state machine run only its task definition, pass only its roles, invoke only workflow-task', () => {
    const { workflow, tasks, functions } = synth.stack;
    const sm = role(workflow.stateMachine.role);
    const byAction = (action: string) =>
      sm.filter((s) => s.actions.includes(action)).flatMap((s) => s.resources);
    expect(byAction('ecs:RunTask')).toEqual([
      JSON.stringify({ Ref: logicalIdOf(tasks.taskDefinition) }),
    ]);
    expect(byAction('iam:PassRole').sort()).toEqual(
      [tasks.taskDefinition.taskRole, tasks.taskDefinition.obtainExecutionRole()]
        .map((r) => JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(r), 'Arn'] }))
        .sort(),
    );
    expect(byAction('lambda:InvokeFunction')).toEqual([
      JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(functions.workflowTask), 'Arn'] }),
    ]);
  });

  it('lets the task answer its own state machine, and the events Lambda start it', () => {
    const { workflow, tasks, functions } = synth.stack;
    const machine = JSON.stringify({ Ref: logicalIdOf(workflow.stateMachine) });
    const task = role(tasks.taskDefinition.taskRole);
    const answering = task.filter((s) => s.actions.includes('states:SendTaskSuccess'));
    expect(answering.flatMap((s) => s.actions)).toEqual(
      expect.arrayContaining(['states:SendTaskSuccess', 'states:SendTaskFailure']),
    );
    expect(answering.flatMap((s) => s.resources)).toEqual([machine]);
    const starting = role(functions.events.role!).filter((s) =>
      s.actions.includes('states:StartExecution'),
    );
    expect(starting.flatMap((s) => s.resources)).toEqual([machine]);
  });
});
