// Starting a worker thread on an entry module beside the caller, both compiled and from sources.
// Compiled (dist/, .js) the entry is started as it is. Run from the TypeScript sources (tsx,
// vitest) the worker registers tsx's ESM hooks before importing its entry: a worker does not
// inherit the loader hooks of the thread that starts it.
import { createRequire } from 'node:module';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * `from`: the caller's import.meta.url; `entry`: the worker module's path beside it without its
 * extension (e.g. './delta-commit-worker'), run as .js when the caller is compiled, else as .ts.
 */
export function startWorker(
  from: string,
  entry: string,
  workerData: unknown,
  resourceLimits?: ResourceLimits,
): Worker {
  const options = resourceLimits === undefined ? { workerData } : { workerData, resourceLimits };
  if (fileURLToPath(from).endsWith('.js')) {
    return new Worker(new URL(`${entry}.js`, from), options);
  }
  // tsx's ESM API ("import" condition of tsx/esm/api, beside the "require" one)
  const api = createRequire(from)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const source = new URL(`${entry}.ts`, from).href;
  const boot = `import(${JSON.stringify(pathToFileURL(api).href)})
    .then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(boot, { eval: true, ...options });
}
