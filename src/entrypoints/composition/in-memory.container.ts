// Everything in memory (tests): the same use cases and the same local state machine run as in
// the embedded mode, over the in-memory adapters.
import { Container } from 'inversify';
import { InMemoryEventBus } from '../../adapters/in-memory/in-memory-event-bus.js';
import { InMemoryEventStore } from '../../adapters/in-memory/in-memory-event-store.js';
import { InMemoryFactStore } from '../../adapters/in-memory/in-memory-fact-store.js';
import { InMemoryKpiStore } from '../../adapters/in-memory/in-memory-kpi-store.js';
import { InMemoryObjectStore } from '../../adapters/in-memory/in-memory-object-store.js';
import { InMemoryReferenceIndex } from '../../adapters/in-memory/in-memory-reference-index.js';
import { ManualClock } from '../../adapters/in-memory/manual-clock.js';
import { StreamingCsvDecoder } from '../../adapters/csv/streaming-csv-decoder.js';
import { Sha256Hasher } from '../../adapters/node/sha256-hasher.js';
import { ParquetStagingCodec } from '../../adapters/parquet/parquet-staging-codec.js';
import type { LandingPolicy } from '../../application/land-file.use-case.js';
import { CLOCK, type Clock } from '../../ports/clock.port.js';
import { CSV_DECODER } from '../../ports/csv-decoder.port.js';
import { EVENT_BUS } from '../../ports/event-bus.port.js';
import { EVENT_STORE } from '../../ports/event-store.port.js';
import { FACT_STORE } from '../../ports/fact-store.port.js';
import { HASHER } from '../../ports/hasher.port.js';
import { KPI_STORE } from '../../ports/kpi-store.port.js';
import { LOGGER, type Logger } from '../../ports/logger.port.js';
import { OBJECT_STORE } from '../../ports/object-store.port.js';
import { REFERENCE_INDEX } from '../../ports/reference-index.port.js';
import { STAGING_CODEC } from '../../ports/staging-codec.port.js';
import { TASK_RUNNER, type TaskRunner } from '../../ports/task-runner.port.js';
import { WORKFLOW_STARTER } from '../../ports/workflow.port.js';
import { applicationModule } from './application.module.js';
import { readAslDefinition } from './asl-definition.js';
import { LazyWorkflowStarter } from './lazy-workflow-starter.js';
import { pipelineAppOf, type PipelineApp } from './pipeline-app.js';
import { TOKENS } from './tokens.js';

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * binds the local state machine over the container's own task runner; its engine is loaded at
 * the first workflow (LazyWorkflowStarter), and the returned starter's `load` loads it earlier
 */
export const bindLocalWorkflow = (container: Container): LazyWorkflowStarter => {
  const starter = new LazyWorkflowStarter(async () => {
    const { LocalSfnWorkflowStarter } =
      await import('../../adapters/local-sfn/local-sfn-workflow-starter.js');
    // the task runner (and the use cases it runs) resolved when the engine is wanted
    const tasks = container.get<TaskRunner>(TASK_RUNNER);
    return new LocalSfnWorkflowStarter(readAslDefinition(), tasks, container.get<Logger>(LOGGER));
  });
  container.bind(WORKFLOW_STARTER).toConstantValue(starter);
  return starter;
};

export interface InMemoryOptions {
  readonly clock?: Clock;
  readonly policy?: LandingPolicy;
  readonly logger?: Logger;
}

export const buildInMemoryContainer = (options: InMemoryOptions = {}): Container => {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(OBJECT_STORE).toConstantValue(new InMemoryObjectStore());
  container.bind(EVENT_STORE).toConstantValue(new InMemoryEventStore());
  container.bind(EVENT_BUS).toConstantValue(new InMemoryEventBus());
  container.bind(REFERENCE_INDEX).toConstantValue(new InMemoryReferenceIndex());
  container.bind(FACT_STORE).toConstantValue(new InMemoryFactStore());
  container.bind(KPI_STORE).toConstantValue(new InMemoryKpiStore());
  container.bind(CLOCK).toConstantValue(options.clock ?? new ManualClock(Date.UTC(2025, 3, 1)));
  container.bind(HASHER).toConstantValue(new Sha256Hasher());
  container.bind(CSV_DECODER).toConstantValue(new StreamingCsvDecoder());
  container.bind(STAGING_CODEC).toConstantValue(new ParquetStagingCodec());
  container.bind(LOGGER).toConstantValue(options.logger ?? silentLogger);
  if (options.policy !== undefined)
    container.bind(TOKENS.LandingPolicy).toConstantValue(options.policy);
  container.load(applicationModule);
  bindLocalWorkflow(container);
  return container;
};

export const inMemoryApp = (options: InMemoryOptions = {}): PipelineApp =>
  pipelineAppOf(buildInMemoryContainer(options), ['in memory (nothing kept)'], async () => {});
