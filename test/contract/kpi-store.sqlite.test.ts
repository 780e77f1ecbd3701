import { SqliteKpiStore } from '../../src/adapters/sqlite/sqlite-kpi-store.js';
import { describeKpiStoreContract } from './kpi-store.contract.js';
import { sqliteFactory } from './sqlite-factory.js';

describeKpiStoreContract(
  'sqlite',
  sqliteFactory((db) => new SqliteKpiStore(db)),
);
