// Payload the state machine passes to the workflow-task Lambda (see infra/state-machine).
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { PathReporter } from 'io-ts/lib/PathReporter.js';

export const WorkflowTaskPayload = t.intersection([
  t.type({
    task: t.union([t.literal('archive'), t.literal('record-failure')]),
    groupId: t.string,
    manifestKey: t.string,
  }),
  t.partial({ error: t.union([t.string, t.null]), cause: t.union([t.string, t.null]) }),
]);
export type WorkflowTaskPayload = t.TypeOf<typeof WorkflowTaskPayload>;

export const workflowTaskPayloadOf = (payload: unknown): WorkflowTaskPayload => {
  const decoded = WorkflowTaskPayload.decode(payload);
  if (isLeft(decoded)) {
    throw new Error(`bad workflow task payload: ${PathReporter.report(decoded).join('; ')}`);
  }
  return decoded.right;
};
