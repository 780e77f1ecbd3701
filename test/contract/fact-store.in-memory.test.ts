import { InMemoryFactStore } from '../../src/adapters/in-memory/in-memory-fact-store.js';
import { describeFactStoreContract } from './fact-store.contract.js';

describeFactStoreContract('in-memory', async () => ({
  port: new InMemoryFactStore(),
  cleanup: async () => undefined,
}));
