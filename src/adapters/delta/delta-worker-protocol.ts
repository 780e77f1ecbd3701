// What crosses between DeltaWorkerTables and its worker (delta-commit-worker.ts): a commit's
// small parts cloned, its facts as transferred buffers (delta-fact-bytes.ts), and an error as
// its name, message, stack and own fields (node/worker-error.ts), made again on this side as the
// class the inline commit throws, so a caller sees the same error whichever thread committed.
import type { AnalyticsCommit } from '../../ports/analytics-tables.port.js';
import type { FactBytes } from './delta-fact-bytes.js';
import { type WireError, errorOf as nodeErrorOf, wireError } from '../node/worker-error.js';
import { DeltaConcurrentModification } from './delta-table.js';

export { type WireError, wireError };

/** what the worker opens: the local bucket folder (FileSystemObjectStore) and the tables' prefix */
export interface DeltaWorkerSetup {
  readonly bucket: string;
  readonly gzipped: readonly string[];
  readonly prefix?: string;
}

export interface CommitRequest {
  readonly change: Omit<AnalyticsCommit, 'orderIds' | 'facts'>;
  readonly bytes: FactBytes;
}

export type CommitReply = { readonly ok: true } | { readonly ok: false; readonly error: WireError };

/** the class the inline commit throws, for a DeltaConcurrentModification */
export const errorOf = (w: WireError): Error =>
  nodeErrorOf(w, ({ name, fields }) =>
    name === 'DeltaConcurrentModification'
      ? new DeltaConcurrentModification(String(fields['root']), Number(fields['attempts']))
      : null,
  );
