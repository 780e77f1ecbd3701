import { InMemoryEventStore } from '../../src/adapters/in-memory/in-memory-event-store.js';
import { describeEventStoreContract } from './event-store.contract.js';

describeEventStoreContract('in-memory', async () => ({
  port: new InMemoryEventStore(),
  cleanup: async () => undefined,
}));
