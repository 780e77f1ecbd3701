// Where KPIs are kept for querying (DynamoDB tables in AWS, SQLite locally).
import type { KpiSet } from '../domain/kpi/kpi.types.js';

export interface KpiFilter {
  /** YYYY-MM-DD */
  readonly date?: string;
  readonly category?: string;
}

export interface KpiStore {
  /**
   * Makes the stored KPIs of these dates equal to kpis: rows of those dates absent from kpis
   * are removed, others upserted. Dates not listed are untouched.
   */
  replaceDates(dates: readonly string[], kpis: KpiSet): Promise<void>;
  /** sorted by date, then category */
  query(filter?: KpiFilter): Promise<KpiSet>;
  /** removes every KPI row (replay --rebuild computes them again from the facts) */
  reset(): Promise<void>;
}

export const KPI_STORE = Symbol.for('KpiStore');
