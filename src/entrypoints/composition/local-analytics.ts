// The Delta Lake copies of facts and KPIs under the bucket's delta/ prefix.
import type { Container } from 'inversify';
import { DeltaAnalyticsTables } from '../../adapters/delta/delta-analytics-tables.js';
import { ANALYTICS_TABLES } from '../../ports/analytics-tables.port.js';
import type { ObjectStore } from '../../ports/object-store.port.js';

export const bindAnalytics = (container: Container, objects: ObjectStore): void => {
  container.bind(ANALYTICS_TABLES).toConstantValue(new DeltaAnalyticsTables(objects));
};
