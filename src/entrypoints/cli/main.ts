// shop-pipeline: the embedded pipeline on one machine. The compile cache is turned on first, so
// every module the command loads after it (run.ts and all it imports) can come from it.
import { enableCompileCache } from './compile-cache.js';

enableCompileCache();
await import('./run.js');
