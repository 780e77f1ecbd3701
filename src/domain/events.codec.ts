// io-ts codecs for pipeline events, used at the edges (EventBridge details, SQS bodies, the
// event store's JSON). Typed against the domain unions so the two cannot drift apart.
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { PathReporter } from 'io-ts/lib/PathReporter.js';
import { DATASET_NAMES, type DatasetName } from './datasets.js';
import type { PipelineEvent, RecordedEvent } from './events.js';
import { IntegerC } from './records.codec.js';

const datasetKeys = Object.fromEntries(DATASET_NAMES.map((d) => [d, null])) as Record<
  DatasetName,
  null
>;
const DatasetC = t.keyof(datasetKeys, 'DatasetName');
const RuleCountC = t.readonly(t.type({ rule: t.string, failed: IntegerC }));
const RuleCountsC = t.readonlyArray(RuleCountC);
const Strings = t.readonlyArray(t.string);

const event = <T extends string, P extends t.Props>(type: T, data: P) =>
  t.readonly(
    t.type({ type: t.literal(type), data: t.readonly(t.type(data), `${type}.data`) }),
    type,
  );

const JudgedByC = t.readonly(
  t.type({ policy: t.keyof({ 'reject-file': null, 'quarantine-rows': null }), rules: t.string }),
);
/** a file verdict: `judgedBy` is optional, logs written before it existed lack it */
const fileEvent = <T extends string, P extends t.Props>(type: T, data: P) =>
  t.readonly(
    t.type({
      type: t.literal(type),
      data: t.readonly(
        t.intersection([t.type(data), t.partial({ judgedBy: JudgedByC })]),
        `${type}.data`,
      ),
    }),
    type,
  );

const EventCodecs = [
  fileEvent('FileLanded', {
    fileKey: t.string,
    dataset: DatasetC,
    contentHash: t.string,
    rows: IntegerC,
    stagedKey: t.string,
    reportKey: t.string,
    warnings: RuleCountsC,
    quarantinedRows: IntegerC,
  }),
  fileEvent('FileRejected', {
    fileKey: t.string,
    dataset: t.union([DatasetC, t.null]),
    contentHash: t.string,
    reason: t.string,
    reportKey: t.string,
    quarantineKey: t.union([t.string, t.null]),
    errors: RuleCountsC,
  }),
  event('GroupCompleted', {
    groupId: t.string,
    fileKey: t.string,
    orderCount: IntegerC,
    manifestKey: t.string,
  }),
  event('Validated', { groupId: t.string, reportKey: t.string, warnings: RuleCountsC }),
  event('ValidationFailed', { groupId: t.string, reportKey: t.string, errors: RuleCountsC }),
  event('FactsReplaced', { groupId: t.string, dates: Strings }),
  event('Transformed', { groupId: t.string, facts: IntegerC, dates: Strings }),
  event('TransformFailed', { groupId: t.string, error: t.string }),
  event('Archived', { groupId: t.string, files: Strings }),
  event('OrdersStale', { orderIds: Strings, olderThanHours: t.number, asOf: t.string }),
] as const;

export const PipelineEventC: t.Type<PipelineEvent, PipelineEvent, unknown> = t.union(
  [...EventCodecs],
  'PipelineEvent',
);

const RecordMetaC = t.readonly(
  t.type({
    id: t.string,
    streamId: t.string,
    version: IntegerC,
    position: IntegerC,
    occurredAt: t.string,
  }),
  'RecordMeta',
);

export const RecordedEventC: t.Type<RecordedEvent, RecordedEvent, unknown> = t.intersection(
  [PipelineEventC, RecordMetaC],
  'RecordedEvent',
);

const decodeWith =
  <A>(codec: t.Type<A, A, unknown>) =>
  (u: unknown): E.Either<string, A> =>
    pipe(
      codec.decode(u),
      E.mapLeft((errors) => PathReporter.report(E.left(errors)).join('; ')),
    );

/** A stored/published event, or the PathReporter messages saying what is wrong. */
export const decodeEvent: (u: unknown) => E.Either<string, RecordedEvent> =
  decodeWith(RecordedEventC);

/** A bare event (no store metadata), e.g. one about to be appended. */
export const decodePipelineEvent: (u: unknown) => E.Either<string, PipelineEvent> =
  decodeWith(PipelineEventC);
