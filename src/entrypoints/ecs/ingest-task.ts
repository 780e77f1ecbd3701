// The ECS ingest task's logic, apart from its main file so tests can run it without a process
// exit: lands the file named by FILE_KEY (set by the ingest state machine) through the same
// composition root and LandFile use case as the ingest Lambda, with the same logs and metrics.
// Exit 0 when the file landed, was a duplicate, was rejected or can never land; 1 otherwise,
// so the state machine's RunTask .sync sees the failure and retries the task.
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { PathReporter } from 'io-ts/lib/PathReporter.js';
import type { AwsApp } from '../composition/aws.container.js';
import { landOneFile } from '../lambda/land-one-file.js';
import { flushMetrics, logger } from '../lambda/observability.js';

const IngestTaskEnvironment = t.type({ FILE_KEY: t.string });

export const runIngestTask = async (
  env: Readonly<Record<string, string | undefined>>,
  app: () => AwsApp,
): Promise<number> => {
  try {
    const decoded = IngestTaskEnvironment.decode(env);
    if (isLeft(decoded))
      throw new Error(`bad task environment: ${PathReporter.report(decoded).join('; ')}`);
    const fileKey = decoded.right.FILE_KEY;
    logger.appendKeys({ fileKey, task: 'ingest' });
    await landOneFile(app, fileKey);
    return 0;
  } catch (error) {
    logger.error('ingest failed', {
      error: error instanceof Error ? error.message : String(error),
    });
    return 1;
  } finally {
    flushMetrics();
  }
};
