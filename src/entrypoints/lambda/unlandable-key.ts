// Notifications that can never land, however often SQS delivers them: a console "folder"
// (the zero-byte object `incoming/orders/`), a key with an empty segment (`incoming//x.csv`,
// refused by every object store), or an object deleted before its notification was handled
// (S3 is strongly consistent: a 404 now is a 404 on every redelivery). They are handled
// outcomes, logged and counted, instead of five failed tries and a message in the DLQ.

const named = (error: unknown, name: string): error is Error & { key?: unknown } =>
  error instanceof Error && error.name === name;

/** why the file at fileKey can never land, or null when the error may pass on a retry */
export const unlandableReason = (error: unknown, fileKey: string): string | null => {
  if (named(error, 'InvalidObjectKey') && error.key === fileKey) {
    return fileKey.endsWith('/')
      ? 'a folder marker, not a file'
      : 'not a file key the pipeline accepts (empty, "." or ".." path segment)';
  }
  if (named(error, 'ObjectNotFound') && error.key === fileKey) {
    return 'deleted before it could land';
  }
  return null;
};
