// V8's compiled code of the CLI's modules kept on disk between runs (Node's module compile cache,
// in the system's temp folder unless NODE_COMPILE_CACHE names another; NODE_DISABLE_COMPILE_CACHE=1
// turns it off). A command loads ~700 modules (inversify, apache-arrow, commander, the SQLite and
// Parquet adapters); compiling them again was ~0.1 s of CPU at every start. The folder is also
// put in the environment, so the worker threads (the register's, the staging encoder's, the Delta
// commit's), which load their modules anew, use it too.
import module from 'node:module';

/** module.enableCompileCache (Node 22.1+; the project's @types/node predates it) */
type EnableCompileCache = (directory?: string) => { status: number; directory?: string };

/** turns the cache on for this process and its workers; the folder used, or undefined */
export const enableCompileCache = (env: NodeJS.ProcessEnv = process.env): string | undefined => {
  if (env['NODE_DISABLE_COMPILE_CACHE'] !== undefined) return undefined;
  // older Node versions have no compile cache: the CLI then compiles as it always did
  const enable = (module as { enableCompileCache?: EnableCompileCache }).enableCompileCache;
  if (enable === undefined) return undefined;
  const { directory } = enable(env['NODE_COMPILE_CACHE']);
  if (directory === undefined) return undefined;
  env['NODE_COMPILE_CACHE'] ??= directory;
  return directory;
};
