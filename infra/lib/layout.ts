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
