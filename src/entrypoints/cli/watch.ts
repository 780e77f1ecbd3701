// `watch DIR`: lands CSV files as they appear (or change), one at a time, until SIGINT/SIGTERM.
import { watch } from 'chokidar';
import { join, resolve } from 'node:path';
import type { PipelineApp } from '../composition/pipeline-app.js';
import { deliveryOf, ingest } from './ingest.js';
import { rejectionSummary } from './rejection-summary.js';

export const runWatch = async (
  app: PipelineApp,
  dir: string,
  home: string,
  err: (text: string) => void,
): Promise<number> => {
  let rejectedSomething = false;
  let queue = Promise.resolve();
  const watcher = watch(dir, {
    ignored: (path, stats) => stats?.isFile() === true && !path.toLowerCase().endsWith('.csv'),
    awaitWriteFinish: { stabilityThreshold: 300, pollInterval: 50 },
  });
  const land = (path: string): void => {
    queue = queue.then(async () => {
      // watch stops on Ctrl-C itself, after the file in hand
      const summary = await ingest(app, [deliveryOf(path)], { handleInterrupt: false });
      const problems = await rejectionSummary(app, summary, join(resolve(home), 'bucket'));
      problems.forEach(err);
      if (problems.length > 0) rejectedSomething = true;
      else if (summary.landed > 0) err(`landed ${path}`);
    });
  };
  watcher.on('add', land).on('change', land);
  let stopping = false;
  const stopped = new Promise<void>((done) => {
    const stop = (): void => {
      stopping = true;
      void watcher.close().then(done);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  // said once the first scan is done (the files already there are queued by then): a file
  // written after this line is seen, where one written during the scan, in a folder made
  // meanwhile, could be missed (the scan read the parent before the folder was made, and its
  // watch began after)
  await Promise.race([new Promise<void>((ready) => watcher.once('ready', ready)), stopped]);
  if (!stopping) err(`watching ${dir} (Ctrl-C to stop)`);
  await stopped;
  await queue;
  return rejectedSomething ? 3 : 0;
};
