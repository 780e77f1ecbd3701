// `shop-pipeline serve`: runs the live view until SIGINT/SIGTERM. The app is opened per read
// (see SnapshotSource), so `ingest` and `watch` in other processes keep the home to themselves.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PipelineApp } from '../../composition/pipeline-app.js';
import { UsageError } from '../usage-error.js';
import type { ReportRange } from './report-file.js';
import { startServer } from './report-server.js';
import { SnapshotSource } from './report-snapshot.js';

export interface ServeCommand {
  readonly home: string;
  readonly host: string;
  readonly port: number;
  readonly range: ReportRange;
  readonly openApp: () => PipelineApp;
  readonly out: (line: string) => void;
}

/** report and serve read a home; they never create one (a mistyped --home would look empty) */
export const requireHome = (home: string): void => {
  if (!existsSync(join(resolve(home), 'state.db')))
    throw new UsageError(
      `no shop-pipeline state in ${resolve(home)} (run ingest first, or pass --home)`,
    );
};

export const runServe = async (c: ServeCommand): Promise<void> => {
  requireHome(c.home);
  const source = new SnapshotSource(c.home, c.range, c.openApp);
  await source.current(); // fail now, not on the first request, when the home cannot be read
  const server = await startServer(source, { home: c.home, host: c.host, port: c.port });
  c.out(`serving ${server.url} (read-only; Ctrl-C to stop)`);
  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
};
