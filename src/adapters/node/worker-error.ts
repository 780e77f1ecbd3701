// An error crossing a worker thread's boundary: sent as its name, message, stack and own plain
// fields (code, errno, path...), made again on the other side as the same built-in class, or as
// a class the caller names, so a caller sees the error the inline code would have thrown.

export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

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

/** `own`: makes the caller's own error classes (by the wire error), or null for a built-in one */
export function errorOf(w: WireError, own: (w: WireError) => Error | null = () => null): Error {
  const error = own(w) ?? new (BUILT_IN[w.name] ?? Error)(w.message);
  Object.assign(error, w.fields);
  error.name = w.name;
  if (w.stack !== undefined) error.stack = w.stack;
  return error;
}
