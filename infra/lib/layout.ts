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

/** a prefix (every key under it); a single key pattern with `*` for a path segment also fits */
export type KeyPattern = Prefix;

export interface BucketAccess {
  readonly read: readonly KeyPattern[];
  readonly put: readonly KeyPattern[];
  readonly delete: readonly KeyPattern[];
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
    // nothing under groups/: the manifests stay the ingest function's, and the dates a transform
    // touched are in the log (FactsReplaced), not in a state file
    put: [PREFIX.reports, PREFIX.quarantine, PREFIX.delta],
    delete: [PREFIX.delta],
  },
} as const satisfies Record<string, BucketAccess>;

/** the object keys a pattern grants, the form S3 grants take: `<prefix>*` or the pattern itself */
export const keys = (pattern: KeyPattern): string =>
  pattern.endsWith('/') ? `${pattern}*` : pattern;

const escapeRegExp = (text: string): string => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** whether a pattern grants an object key; `*` matches any characters, `/` included, as in the
 *  resource ARNs of IAM policies */
export const keyMatches = (pattern: KeyPattern, key: string): boolean =>
  new RegExp(`^${escapeRegExp(keys(pattern)).replace(/\*/g, '.*')}$`).test(key);

/** EventBridge `Source` of every pipeline event (the eventbridge adapter publishes with it) */
export const EVENT_SOURCE = 'shop-pipeline';

export const SERVICE_NAME = 'shop-pipeline';
export const METRICS_NAMESPACE = 'ShopPipeline';
export const METRIC = { groupsRejected: 'GroupsRejected', filesRejected: 'FilesRejected' } as const;

export const CONTAINER_NAME = 'pipeline';
export const ASL_PATH = 'infra/state-machine/pipeline.asl.json';

/** ingest Lambda timeout; the queue's visibility timeout is six times this (AWS guidance) */
export const INGEST_TIMEOUT_SECONDS = 300;

/** events Lambda timeout; its queue's visibility timeout is six times this */
export const EVENTS_TIMEOUT_SECONDS = 30;

/** ingest Lambdas landing at once (one file each) */
export const INGEST_MAX_CONCURRENCY = 20;

/** ingest Lambda memory: 1,769 MB is the size at which Lambda gives a whole vCPU, and landing is
 *  CPU-bound on the client (measured: ~0.9 ms of CPU per order_items row, ~1.4 ms per orders
 *  row; docs/scaling.md), so a smaller function would only land more slowly for the same price */
export const INGEST_MEMORY_MB = 1769;

/** files of this many bytes or more are landed by the ECS ingest task, not the ingest Lambda:
 *  at the measured ~18 µs of CPU per byte of an orders file (the costliest dataset per byte),
 *  8 MB is ~150 CPU-seconds, half the Lambda's 300 s on its one vCPU (docs/scaling.md) */
export const INGEST_TASK_MIN_BYTES = 8_000_000;
