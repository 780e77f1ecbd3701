// One file landed and reported, the same way by the ingest Lambda and the ECS ingest task: the
// outcome logged with its file key and counted, and a file that can never land (a folder marker,
// a key deleted before landing) logged and counted as skipped. Any other error is thrown: the
// caller fails its SQS record or its task, so the landing is tried again.
import type { AwsApp } from '../composition/aws.container.js';
import { countMetric, logger } from './observability.js';
import { unlandableReason } from './unlandable-key.js';

export const landOneFile = async (
  app: () => AwsApp,
  fileKey: string,
): Promise<'handled' | 'skipped'> => {
  try {
    const outcome = await app().landFile(fileKey);
    if (outcome.status === 'rejected') logger.warn('file rejected', { fileKey, ...outcome });
    else logger.info('file processed', { fileKey, ...outcome });
    countMetric('Files');
    if (outcome.status === 'rejected') countMetric('FilesRejected');
    if (outcome.rows > 0) countMetric('Rows', outcome.rows);
    if (outcome.groups > 0) countMetric('Groups', outcome.groups);
    return 'handled';
  } catch (error) {
    const reason = unlandableReason(error, fileKey);
    if (reason === null) throw error;
    logger.warn('file skipped: it can never land', { fileKey, reason });
    countMetric('FilesSkipped');
    return 'skipped';
  }
};
