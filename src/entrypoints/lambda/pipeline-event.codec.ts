// What the EventBridge consumer needs from a pipeline event: the bus puts the whole recorded
// event in `detail`, and the event type in `detail-type`.
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { PathReporter } from 'io-ts/lib/PathReporter.js';

const Envelope = t.type({
  'detail-type': t.string,
  detail: t.type({ id: t.string, type: t.string, streamId: t.string, data: t.UnknownRecord }),
});

const GroupCompletedData = t.type({ groupId: t.string, manifestKey: t.string });

export type BusMessage =
  | {
      readonly kind: 'group-completed';
      readonly id: string;
      readonly groupId: string;
      readonly manifestKey: string;
    }
  | {
      readonly kind: 'other';
      readonly id: string;
      readonly type: string;
      readonly data: Record<string, unknown>;
    };

const decodeOrThrow = <A>(codec: t.Decoder<unknown, A>, value: unknown, what: string): A => {
  const decoded = codec.decode(value);
  if (isLeft(decoded)) throw new Error(`bad ${what}: ${PathReporter.report(decoded).join('; ')}`);
  return decoded.right;
};

export const busMessageOf = (event: unknown): BusMessage => {
  const { detail } = decodeOrThrow(Envelope, event, 'EventBridge event');
  if (detail.type === 'GroupCompleted') {
    const data = decodeOrThrow(GroupCompletedData, detail.data, 'GroupCompleted data');
    return { kind: 'group-completed', id: detail.id, ...data };
  }
  return { kind: 'other', id: detail.id, type: detail.type, data: detail.data };
};
