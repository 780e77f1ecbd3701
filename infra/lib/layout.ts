// Names shared by the constructs: the bucket layout (docs/architecture.md), the event source and
// the metric names the code emits. Kept here so the stack and its tests agree on one spelling.
import { fileURLToPath } from 'node:url';

/** repository root: NodejsFunction entries, the Docker build context and the ASL file live under it */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const PREFIX = {
  incoming: 'incoming/',
  staging: 'staging/',
  groups: 'groups/',
  reports: 'reports/',
  quarantine: 'quarantine/',
  archive: 'archive/',
  delta: 'delta/',
} as const;

export type Prefix = (typeof PREFIX)[keyof typeof PREFIX];

export interface BucketAccess {
  readonly read: readonly Prefix[];
  readonly put: readonly Prefix[];
  readonly delete: readonly Prefix[];
}

/** who may touch which prefix of the data bucket (docs/deploy.md shows the same table) */
export const BUCKET_ACCESS = {
  ingest: {
    read: [PREFIX.incoming, PREFIX.staging, PREFIX.groups],
    put: [PREFIX.staging, PREFIX.reports, PREFIX.quarantine, PREFIX.groups],
    delete: [],
  },
  workflowTask: {
    read: [PREFIX.incoming, PREFIX.groups],
    put: [PREFIX.archive],
    delete: [PREFIX.incoming],
  },
  task: {
    read: [PREFIX.staging, PREFIX.groups, PREFIX.delta],
    put: [PREFIX.reports, PREFIX.quarantine, PREFIX.delta],
    delete: [PREFIX.delta],
  },
} as const satisfies Record<string, BucketAccess>;

/** object keys under a prefix, the form S3 grants take */
export const keys = (prefix: string): string => `${prefix}*`;

/** EventBridge `Source` of every pipeline event (the eventbridge adapter publishes with it) */
export const EVENT_SOURCE = 'shop-pipeline';

export const SERVICE_NAME = 'shop-pipeline';
export const METRICS_NAMESPACE = 'ShopPipeline';
export const METRIC = { groupsRejected: 'GroupsRejected', filesRejected: 'FilesRejected' } as const;

export const CONTAINER_NAME = 'pipeline';
export const ASL_PATH = 'infra/state-machine/pipeline.asl.json';

/** ingest Lambda timeout; the queue's visibility timeout is six times this (AWS guidance) */
export const INGEST_TIMEOUT_SECONDS = 300;
