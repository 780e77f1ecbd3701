import { Sha256Hasher } from '../../src/adapters/node/sha256-hasher.js';
import { describeHasherContract } from './hasher.contract.js';

describeHasherContract('node:crypto', () => new Sha256Hasher());
