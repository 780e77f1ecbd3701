// Hands a file too big for the ingest Lambda to the ECS ingest task: an execution of the ingest
// state machine (infra/lib/ingest-route.ts), which runs the task with RunTask .sync and retries
// it. One execution per upload: the name is derived from the key and the S3 event's sequencer,
// so a redelivered notification finds its execution started, while a new upload of the same key
// (a new sequencer) gets a new one.
import { createHash } from 'node:crypto';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { WorkflowStart } from '../../ports/workflow.port.js';
import { startExecutionOnce } from './sfn-start-execution.js';

/** a created object, as the S3 event names it (size in bytes, before the file is opened) */
export interface LargeFile {
  readonly key: string;
  readonly size: number;
  readonly sequencer?: string;
}

/** `ingest-<key, made safe, last 40 chars>-<24 hex of sha256(key, sequencer)>`: ≤ 80 chars */
export const ingestExecutionNameFor = (file: LargeFile): string => {
  const digest = createHash('sha256')
    .update(`${file.key}\n${file.sequencer ?? ''}`)
    .digest('hex')
    .slice(0, 24);
  return `ingest-${file.key.replace(/[^A-Za-z0-9_-]/g, '-').slice(-40)}-${digest}`;
};

export class SfnIngestTaskStarter {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  start(file: LargeFile): Promise<WorkflowStart> {
    return startExecutionOnce(this.client, this.stateMachineArn, ingestExecutionNameFor(file), {
      fileKey: file.key,
      size: file.size,
    });
  }
}
