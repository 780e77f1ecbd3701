// Least privilege, read from the synthesised policies: every principal gets only its bucket
// prefixes, tables and bus, the state machine only its task, roles and function, and nothing
// grants S3 or DynamoDB actions on "*". The template's shape is enough: no bundling, no cdk-nag.
import { beforeAll, describe, expect, it } from 'vitest';
import { allStatements, statementsOfRole, type Statement } from './iam.js';
import { logicalIdOf, synthPipeline, type Synthesised } from './synth.js';

let synth: Synthesised;
beforeAll(() => {
  synth = synthPipeline({ bundle: false, nag: false });
}, 120_000);

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
  const s3Resources = (statements: Statement[], action: string) =>
    statements
      .filter((s) => s.actions.includes(action))
      .flatMap((s) => s.resources)
      .map((r) => /\/([a-z]+)\/\*/.exec(r)?.[1] ?? 'bucket')
      .sort();

  it('scopes each principal to its own bucket prefixes', () => {
    const { functions, tasks } = synth.stack;
    const ingest = role(functions.ingest.role!);
    expect(s3Resources(ingest, 's3:GetObject*')).toEqual([
      'bucket',
      'groups',
      'incoming',
      'staging',
    ]);
    expect(s3Resources(ingest, 's3:PutObject')).toEqual([
      'groups',
      'quarantine',
      'reports',
      'staging',
    ]);
    expect(s3Resources(ingest, 's3:DeleteObject*')).toEqual([]);

    const workflowTask = role(functions.workflowTask.role!);
    expect(s3Resources(workflowTask, 's3:PutObject')).toEqual(['archive']);
    expect(s3Resources(workflowTask, 's3:DeleteObject*')).toEqual(['incoming']);

    const task = role(tasks.taskDefinition.taskRole);
    expect(s3Resources(task, 's3:PutObject')).toEqual(['delta', 'quarantine', 'reports']);
    expect(s3Resources(task, 's3:DeleteObject*')).toEqual(['delta']);

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
    expect(tablesWritten(role(functions.ingest.role!))).toEqual(
      [arn(storage.tables.events), arn(storage.tables.reference)].sort(),
    );
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
