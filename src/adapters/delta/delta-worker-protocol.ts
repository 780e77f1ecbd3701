// What crosses between DeltaWorkerTables and its worker (delta-commit-worker.ts): a commit's
// small parts cloned, its facts as transferred buffers (delta-fact-bytes.ts), and an error as
// its name, message, stack and own fields, made again on this side as the class the inline
// commit throws, so a caller sees the same error whichever thread committed.
import type { AnalyticsCommit } from '../../ports/analytics-tables.port.js';
import type { FactBytes } from './delta-fact-bytes.js';
import { DeltaConcurrentModification } from './delta-table.js';

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

export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export type CommitReply = { readonly ok: true } | { readonly ok: false; readonly error: WireError };

const plain = (v: unknown): boolean =>
  v === null || ['string', 'number', 'boolean'].includes(typeof v);

export function wireError(e: unknown): WireError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e), fields: {} };
  // own fields a caller may read (code, errno, path, root, attempts...), when they clone
  const fields = Object.fromEntries(Object.entries(e).filter(([, v]) => plain(v)));
  return { name: e.name, message: e.message, stack: e.stack, fields };
}

const BUILT_IN: Readonly<Record<string, new (message: string) => Error>> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

export function errorOf(w: WireError): Error {
  const { root, attempts } = w.fields;
  const error =
    w.name === 'DeltaConcurrentModification'
      ? new DeltaConcurrentModification(String(root), Number(attempts))
      : new (BUILT_IN[w.name] ?? Error)(w.message);
  Object.assign(error, w.fields);
  error.name = w.name;
  if (w.stack !== undefined) error.stack = w.stack;
  return error;
}
