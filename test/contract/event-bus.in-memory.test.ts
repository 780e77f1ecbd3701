import { InMemoryEventBus } from '../../src/adapters/in-memory/in-memory-event-bus.js';
import { describeEventBusContract } from './event-bus.contract.js';

describeEventBusContract('in-memory', async () => ({
  port: new InMemoryEventBus(),
  cleanup: async () => undefined,
}));
