// Where KPIs are kept for querying (DynamoDB tables in AWS, SQLite locally). The store keeps the
// exact totals (integer cents and counts); KPIs are derived from them when read.
import type { KpiSet, KpiTotals } from '../domain/kpi/kpi.types.js';

export interface KpiFilter {
  /** YYYY-MM-DD */
  readonly date?: string;
  readonly category?: string;
}

export interface KpiStore {
  /**
   * Makes the stored totals of these dates equal to totals: rows of those dates absent from
   * totals are removed, others upserted. Dates not listed are untouched.
   */
  replaceDates(dates: readonly string[], totals: KpiTotals): Promise<void>;
  /** exactly as stored, sorted by date, then category */
  queryTotals(filter?: KpiFilter): Promise<KpiTotals>;
  /** the KPIs of the stored totals (kpisFromTotals), sorted by date, then category */
  query(filter?: KpiFilter): Promise<KpiSet>;
}

export const KPI_STORE = Symbol.for('KpiStore');
