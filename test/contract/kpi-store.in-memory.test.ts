import { InMemoryKpiStore } from '../../src/adapters/in-memory/in-memory-kpi-store.js';
import { describeKpiStoreContract } from './kpi-store.contract.js';

describeKpiStoreContract('in-memory', async () => ({
  port: new InMemoryKpiStore(),
  cleanup: async () => undefined,
}));
