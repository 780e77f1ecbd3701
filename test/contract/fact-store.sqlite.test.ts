import { SqliteFactStore } from '../../src/adapters/sqlite/sqlite-fact-store.js';
import { describeFactStoreContract } from './fact-store.contract.js';
import { sqliteFactory } from './sqlite-factory.js';

describeFactStoreContract(
  'sqlite',
  sqliteFactory((db) => new SqliteFactStore(db)),
);
