// The embedded home's Delta tables with big fact commits on a worker thread
// (DeltaWorkerTables): the transform's SQLite writes and the Delta encoding then use both cores.
// Local only: the worker opens the bucket folder by path; the AWS composition keeps the inline
// tables (local-analytics.ts), so its Lambda and ECS bundles have no worker entry to ship.
import type { Container } from 'inversify';
import { DeltaAnalyticsTables } from '../../adapters/delta/delta-analytics-tables.js';
import { DeltaWorkerTables } from '../../adapters/delta/delta-worker-tables.js';
import { ANALYTICS_TABLES } from '../../ports/analytics-tables.port.js';
import type { ObjectStore } from '../../ports/object-store.port.js';

/** binds the tables; the returned close stops the worker */
export const bindWorkerAnalytics = (
  container: Container,
  objects: ObjectStore,
  bucket: { readonly path: string; readonly gzipped: readonly string[] },
): (() => Promise<void>) => {
  const tables = new DeltaWorkerTables(new DeltaAnalyticsTables(objects), {
    bucket: bucket.path,
    gzipped: bucket.gzipped,
  });
  container.bind(ANALYTICS_TABLES).toConstantValue(tables);
  return () => tables.close();
};
