// Pipeline events: past tense, plain data. Ids, stream ids and versions are added when they
// are appended to the event store (see RecordedEvent).
import type { DatasetName } from './datasets.js';

export interface RuleCount {
  readonly rule: string;
  readonly failed: number;
}

/** which landing policy and which rule set (by fingerprint; "seed" for the defaults) judged a file */
export interface JudgedBy {
  readonly policy: 'reject-file' | 'quarantine-rows';
  readonly rules: string;
}

export interface FileLanded {
  readonly type: 'FileLanded';
  readonly data: {
    readonly fileKey: string;
    readonly dataset: DatasetName;
    /** sha-256 of the raw bytes: the dedupe key */
    readonly contentHash: string;
    readonly rows: number;
    readonly stagedKey: string;
    readonly reportKey: string;
    readonly warnings: readonly RuleCount[];
    /** rows set aside under the opt-in `quarantine-rows` policy */
    readonly quarantinedRows: number;
    /** the policy and rules that judged the file (absent in logs written before they were) */
    readonly judgedBy?: JudgedBy;
  };
}

export interface FileRejected {
  readonly type: 'FileRejected';
  readonly data: {
    readonly fileKey: string;
    readonly dataset: DatasetName | null;
    readonly contentHash: string;
    /** one human sentence: what is wrong and how to fix it */
    readonly reason: string;
    readonly reportKey: string;
    readonly quarantineKey: string | null;
    readonly errors: readonly RuleCount[];
    /** a later landing under another policy or other rules may still accept the same bytes */
    readonly judgedBy?: JudgedBy;
  };
}

export interface GroupCompleted {
  readonly type: 'GroupCompleted';
  readonly data: {
    readonly groupId: string;
    /** the landed file whose rows completed these orders */
    readonly fileKey: string;
    readonly orderCount: number;
    /** object key of the group manifest (order ids and where their rows are staged) */
    readonly manifestKey: string;
  };
}

export interface Validated {
  readonly type: 'Validated';
  readonly data: {
    readonly groupId: string;
    readonly reportKey: string;
    readonly warnings: readonly RuleCount[];
  };
}

export interface ValidationFailed {
  readonly type: 'ValidationFailed';
  readonly data: {
    readonly groupId: string;
    readonly reportKey: string;
    readonly errors: readonly RuleCount[];
  };
}

/** The group's facts replaced its orders' earlier facts: the order dates whose KPIs must be
 *  recomputed (where the orders were before, and where they are now). Recorded before the KPIs
 *  are written, so a transform run again after a crash still recomputes a date an order left. */
export interface FactsReplaced {
  readonly type: 'FactsReplaced';
  readonly data: {
    readonly groupId: string;
    /** YYYY-MM-DD, sorted */
    readonly dates: readonly string[];
  };
}

export interface Transformed {
  readonly type: 'Transformed';
  readonly data: {
    readonly groupId: string;
    readonly facts: number;
    /** order dates (YYYY-MM-DD) whose KPIs were recomputed */
    readonly dates: readonly string[];
  };
}

export interface TransformFailed {
  readonly type: 'TransformFailed';
  readonly data: { readonly groupId: string; readonly error: string };
}

export interface Archived {
  readonly type: 'Archived';
  readonly data: {
    readonly groupId: string;
    /** raw files moved to archive/ because all their orders are processed */
    readonly files: readonly string[];
  };
}

export interface OrdersStale {
  readonly type: 'OrdersStale';
  readonly data: {
    readonly orderIds: readonly string[];
    readonly olderThanHours: number;
    readonly asOf: string;
  };
}

export type PipelineEvent =
  | FileLanded
  | FileRejected
  | GroupCompleted
  | Validated
  | ValidationFailed
  | FactsReplaced
  | Transformed
  | TransformFailed
  | Archived
  | OrdersStale;

export type PipelineEventType = PipelineEvent['type'];

/** An event as stored: `id` is stable (derived from stream and version), so a re-publish
 *  of the same event can be deduplicated downstream. */
export type RecordedEvent<E extends PipelineEvent = PipelineEvent> = E & {
  readonly id: string;
  readonly streamId: string;
  /** 1-based position within the stream */
  readonly version: number;
  /** 1-based position in the whole log (assigned by the store) */
  readonly position: number;
  /** ISO-8601 UTC */
  readonly occurredAt: string;
};

export const fileStreamId = (contentHash: string): string => `file-${contentHash}`;
export const groupStreamId = (groupId: string): string => `group-${groupId}`;
export const STALE_STREAM_ID = 'stale-orders';

export const recordedEventId = (streamId: string, version: number): string =>
  `${streamId}:${version}`;

/** A switch over events ends here, so a new event type does not compile until handled. */
export const assertNever = (value: never): never => {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
};
