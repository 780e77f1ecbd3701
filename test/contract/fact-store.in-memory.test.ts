import { InMemoryFactStore } from '../../src/adapters/in-memory/in-memory-fact-store.js';
import { describeFactStoreKpis } from './fact-store-kpis.contract.js';
import { describeFactStorePeriods } from './fact-store-periods.contract.js';
import { describeFactStoreContract } from './fact-store.contract.js';

const factory = async () => ({
  port: new InMemoryFactStore(),
  cleanup: async () => undefined,
});
describeFactStoreContract('in-memory', factory);
describeFactStoreKpis('in-memory', factory, 200);
describeFactStorePeriods('in-memory', factory, 200);
