// Analytics copies of facts and KPIs for Spark/Athena/DuckDB users (Delta Lake tables).
import type { FactColumns } from '../domain/kpi/fact-columns.js';
import type { Fact, KpiSet } from '../domain/kpi/kpi.types.js';
import type { KpiFilter } from './kpi-store.port.js';

export interface AnalyticsCommit {
  /** idempotency token: committing the same id twice writes nothing the second time */
  readonly transactionId: string;
  /** orders whose facts are replaced as a whole */
  readonly orderIds: readonly string[];
  /** the orders' new facts, as columns (no object per fact) */
  readonly facts: FactColumns;
  /** dates whose KPI rows are replaced by kpis */
  readonly dates: readonly string[];
  readonly kpis: KpiSet;
}

export interface AnalyticsTables {
  commit(change: AnalyticsCommit): Promise<void>;
  /** KPIs as stored in the tables; version = time travel to that table version */
  readKpis(filter?: KpiFilter & { readonly version?: number }): Promise<KpiSet>;
  /** every fact as stored in the tables (latest version) */
  readFacts(): Promise<Fact[]>;
  /** deletes the tables (replay --rebuild commits them again from the log) */
  reset(): Promise<void>;
}

export const ANALYTICS_TABLES = Symbol.for('AnalyticsTables');
