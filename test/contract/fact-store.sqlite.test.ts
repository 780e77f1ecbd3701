import { SqliteFactStore } from '../../src/adapters/sqlite/sqlite-fact-store.js';
import { describeFactStoreKpis } from './fact-store-kpis.contract.js';
import { describeFactStorePeriods } from './fact-store-periods.contract.js';
import { describeFactStoreContract } from './fact-store.contract.js';
import { sqliteFactory } from './sqlite-factory.js';

const factory = sqliteFactory((db) => new SqliteFactStore(db));
describeFactStoreContract('sqlite', factory);
describeFactStoreKpis('sqlite', factory, 100);
describeFactStorePeriods('sqlite', factory, 100);
