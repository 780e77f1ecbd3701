// The body of an SQS message that S3 sent: either a test event (sent once when the notification
// is configured) or a batch of object records. Keys arrive URL-encoded with '+' for a space.
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { PathReporter } from 'io-ts/lib/PathReporter.js';

const S3TestEvent = t.type({ Event: t.literal('s3:TestEvent') });

const S3Record = t.type({
  eventName: t.string,
  s3: t.type({
    bucket: t.type({ name: t.string }),
    object: t.intersection([
      t.type({ key: t.string }),
      t.partial({ size: t.number, sequencer: t.string }),
    ]),
  }),
});

const S3Notification = t.type({ Records: t.array(S3Record) });

export interface LandedObject {
  readonly bucket: string;
  readonly key: string;
  /** bytes, from the event: known before the file is opened (absent in hand-made events) */
  readonly size?: number;
  /** orders the events of one key: a new upload of the key has a greater one */
  readonly sequencer?: string;
}

/** S3 encodes keys like a form: '+' is a space, the rest is percent-encoded. */
export const decodeS3Key = (encoded: string): string =>
  decodeURIComponent(encoded.replace(/\+/g, ' '));

/**
 * The created objects named by one SQS body ([] for the test event); throws with the decode
 * errors when the body is not an S3 notification, so the message fails on its own.
 */
export const landedObjectsOf = (body: string): LandedObject[] => {
  const json: unknown = JSON.parse(body);
  if (S3TestEvent.is(json)) return [];
  const decoded = S3Notification.decode(json);
  if (isLeft(decoded)) {
    throw new Error(`not an S3 notification: ${PathReporter.report(decoded).join('; ')}`);
  }
  return decoded.right.Records.filter((r) => r.eventName.startsWith('ObjectCreated')).map((r) => {
    const { size, sequencer } = r.s3.object;
    return {
      bucket: r.s3.bucket.name,
      key: decodeS3Key(r.s3.object.key),
      ...(size === undefined ? {} : { size }),
      ...(sequencer === undefined ? {} : { sequencer }),
    };
  });
};
