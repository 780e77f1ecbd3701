// Powertools Logger and Metrics, created once per process (Lambda container or ECS task) and
// shared by the AWS entrypoints. Logs are structured JSON; metrics are EMF lines on stdout, which
// CloudWatch turns into metrics without any API call.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { LogFields, Logger as LoggerPort } from '../../ports/logger.port.js';

const SERVICE = process.env['POWERTOOLS_SERVICE_NAME'] ?? 'shop-pipeline';
const NAMESPACE = process.env['POWERTOOLS_METRICS_NAMESPACE'] ?? 'ShopPipeline';

export const logger = new Logger({ serviceName: SERVICE });
export const metrics = new Metrics({ namespace: NAMESPACE, serviceName: SERVICE });

/** Count metrics, all with only the default dimension service=<POWERTOOLS_SERVICE_NAME> (the
 *  stack's alarms match that dimension set exactly). */
export type PipelineMetric =
  | 'Files'
  | 'Rows'
  | 'Groups'
  | 'FilesRejected'
  | 'FilesSkipped'
  | 'FilesToIngestTask'
  | 'GroupsRejected'
  | 'GroupsArchived'
  | 'GroupsFailed';

export const countMetric = (name: PipelineMetric, value = 1): void => {
  metrics.addMetric(name, MetricUnit.Count, value);
};

/** Writes the metrics gathered so far; nothing is written when there are none. */
export const flushMetrics = (): void => {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
};

/** The application's Logger port on top of the Powertools logger. */
export const loggerPort: LoggerPort = {
  debug: (message: string, fields?: LogFields) => logger.debug(message, { ...fields }),
  info: (message: string, fields?: LogFields) => logger.info(message, { ...fields }),
  warn: (message: string, fields?: LogFields) => logger.warn(message, { ...fields }),
  error: (message: string, fields?: LogFields) => logger.error(message, { ...fields }),
};
