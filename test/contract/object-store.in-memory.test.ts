import { InMemoryObjectStore } from '../../src/adapters/in-memory/in-memory-object-store.js';
import { describeObjectStoreContract } from './object-store.contract.js';

describeObjectStoreContract('in-memory', async () => ({
  port: new InMemoryObjectStore(),
  cleanup: async () => undefined,
}));
