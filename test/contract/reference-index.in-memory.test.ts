import { InMemoryReferenceIndex } from '../../src/adapters/in-memory/in-memory-reference-index.js';
import { describeReferenceIndexContract } from './reference-index.contract.js';

describeReferenceIndexContract('in-memory', async () => ({
  port: new InMemoryReferenceIndex(),
  cleanup: async () => undefined,
}));
