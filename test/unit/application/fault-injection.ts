// Fault injection by design (issue 12 point 7): every port is wrapped so its Nth side effect, counted
// over all ports of a run, fails either before it happens or after it happened but before the
// caller hears so (the two ways a crash can cut a step). Reads are never failed: a crash during a
// read is a crash before the next side effect.
import { Container } from 'inversify';
import { DeltaAnalyticsTables } from '../../../src/adapters/delta/delta-analytics-tables.js';
import { StreamingCsvDecoder } from '../../../src/adapters/csv/streaming-csv-decoder.js';
import { InMemoryEventBus } from '../../../src/adapters/in-memory/in-memory-event-bus.js';
import { InMemoryEventStore } from '../../../src/adapters/in-memory/in-memory-event-store.js';
import { InMemoryFactStore } from '../../../src/adapters/in-memory/in-memory-fact-store.js';
import { InMemoryKpiStore } from '../../../src/adapters/in-memory/in-memory-kpi-store.js';
import { InMemoryObjectStore } from '../../../src/adapters/in-memory/in-memory-object-store.js';
import { InMemoryReferenceIndex } from '../../../src/adapters/in-memory/in-memory-reference-index.js';
import { ManualClock } from '../../../src/adapters/in-memory/manual-clock.js';
import { LocalSfnWorkflowStarter } from '../../../src/adapters/local-sfn/local-sfn-workflow-starter.js';
import { Sha256Hasher } from '../../../src/adapters/node/sha256-hasher.js';
import { ParquetStagingCodec } from '../../../src/adapters/parquet/parquet-staging-codec.js';
import { applicationModule } from '../../../src/entrypoints/composition/application.module.js';
import { readAslDefinition } from '../../../src/entrypoints/composition/asl-definition.js';
import { silentLogger } from '../../../src/entrypoints/composition/in-memory.container.js';
import {
  pipelineAppOf,
  type PipelineApp,
} from '../../../src/entrypoints/composition/pipeline-app.js';
import { ANALYTICS_TABLES } from '../../../src/ports/analytics-tables.port.js';
import { CLOCK } from '../../../src/ports/clock.port.js';
import { CSV_DECODER } from '../../../src/ports/csv-decoder.port.js';
import { EVENT_BUS } from '../../../src/ports/event-bus.port.js';
import { EVENT_STORE } from '../../../src/ports/event-store.port.js';
import { FACT_STORE } from '../../../src/ports/fact-store.port.js';
import { HASHER } from '../../../src/ports/hasher.port.js';
import { KPI_STORE } from '../../../src/ports/kpi-store.port.js';
import { MEMORY_RECLAIM, type MemoryReclaim } from '../../../src/ports/memory-reclaim.port.js';
import { LOGGER } from '../../../src/ports/logger.port.js';
import { OBJECT_STORE } from '../../../src/ports/object-store.port.js';
import { REFERENCE_INDEX } from '../../../src/ports/reference-index.port.js';
import { STAGING_CODEC } from '../../../src/ports/staging-codec.port.js';
import { TASK_RUNNER, type TaskRunner } from '../../../src/ports/task-runner.port.js';
import { WORKFLOW_STARTER } from '../../../src/ports/workflow.port.js';

/** the methods of each port that change something outside the process */
export const SIDE_EFFECTS = {
  objects: ['put', 'putIfAbsent', 'copy', 'delete'],
  events: ['append'],
  bus: ['publish'],
  index: ['register'],
  facts: ['replaceOrders'],
  kpis: ['replaceDates'],
  analytics: ['commit'],
  workflow: ['start'],
} as const satisfies Record<string, readonly string[]>;
export type PortName = keyof typeof SIDE_EFFECTS;

export class InjectedFault extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InjectedFault';
  }
}

export type FaultMode = 'before' | 'after';

/** counts side effects across all wrapped ports; fails the one numbered `at` (1-based) */
export class FaultPlan {
  readonly calls: string[] = [];
  tripped: string | null = null;

  constructor(
    private readonly at: number | null = null,
    private readonly mode: FaultMode = 'before',
  ) {}

  async around<T>(name: string, effect: () => Promise<T>): Promise<T> {
    this.calls.push(name);
    const fire = this.calls.length === this.at;
    const fail = (): never => {
      this.tripped = `${name} #${this.calls.length} (${this.mode})`;
      throw new InjectedFault(`injected fault ${this.mode} ${name}`);
    };
    if (fire && this.mode === 'before') fail();
    let result: T;
    try {
      result = await effect();
    } catch (error) {
      // the effect failed on its own (e.g. a conditional write that lost): that is the cut
      if (fire) this.tripped = `${name} #${this.calls.length} (failed by itself)`;
      throw error;
    }
    if (fire) fail();
    return result;
  }
}

export const withFaults = <T extends object>(port: PortName, target: T, plan: FaultPlan): T => {
  const methods: readonly string[] = SIDE_EFFECTS[port];
  return new Proxy(target, {
    get(t, prop) {
      const value: unknown = Reflect.get(t, prop, t);
      if (typeof value !== 'function') return value;
      const bound = (value as (...a: unknown[]) => unknown).bind(t);
      if (!methods.includes(String(prop))) return bound;
      return (...args: unknown[]) =>
        plan.around(`${port}.${String(prop)}`, async () => bound(...args));
    },
  });
};

/** what survives a crash: the stores (the process's caches and bus do not) */
export interface Stores {
  readonly objects: InMemoryObjectStore;
  readonly events: InMemoryEventStore;
  readonly index: InMemoryReferenceIndex;
  readonly facts: InMemoryFactStore;
  readonly kpis: InMemoryKpiStore;
}

export const freshStores = (): Stores => ({
  objects: new InMemoryObjectStore(),
  events: new InMemoryEventStore(),
  index: new InMemoryReferenceIndex(),
  facts: new InMemoryFactStore(),
  kpis: new InMemoryKpiStore(),
});

/**
 * The local state machine is built once (validating the ASL costs about a second): each process
 * points it at its own task runner.
 */
const tasksOfCurrentProcess: { current: TaskRunner | null } = { current: null };
let sharedStarter: LocalSfnWorkflowStarter | null = null;
const localStarter = (): LocalSfnWorkflowStarter => {
  sharedStarter ??= new LocalSfnWorkflowStarter(
    readAslDefinition(),
    {
      run: (task, input) => {
        if (tasksOfCurrentProcess.current === null) throw new Error('no process');
        return tasksOfCurrentProcess.current.run(task, input);
      },
    },
    silentLogger,
    [1, 1, 1],
  );
  return sharedStarter;
};

const noReclaim: MemoryReclaim = { reclaim: async () => {} };

/** one process over the stores, every port wrapped by the plan; with the Delta tables */
export const processOver = (stores: Stores, plan: FaultPlan): PipelineApp => {
  const c = new Container({ defaultScope: 'Singleton' });
  const objects = withFaults('objects', stores.objects, plan);
  c.bind(OBJECT_STORE).toConstantValue(objects);
  c.bind(EVENT_STORE).toConstantValue(withFaults('events', stores.events, plan));
  c.bind(EVENT_BUS).toConstantValue(withFaults('bus', new InMemoryEventBus(), plan));
  c.bind(REFERENCE_INDEX).toConstantValue(withFaults('index', stores.index, plan));
  c.bind(FACT_STORE).toConstantValue(withFaults('facts', stores.facts, plan));
  c.bind(KPI_STORE).toConstantValue(withFaults('kpis', stores.kpis, plan));
  c.bind(ANALYTICS_TABLES).toConstantValue(
    withFaults('analytics', new DeltaAnalyticsTables(objects), plan),
  );
  c.bind(CLOCK).toConstantValue(new ManualClock(Date.UTC(2025, 3, 1)));
  c.bind(HASHER).toConstantValue(new Sha256Hasher());
  c.bind(CSV_DECODER).toConstantValue(new StreamingCsvDecoder());
  c.bind(STAGING_CODEC).toConstantValue(new ParquetStagingCodec());
  c.bind(LOGGER).toConstantValue(silentLogger);
  c.load(applicationModule);
  // no full collection between a transform's phases (a forced V8 GC over this runner's heap: about
  // 60 ms each, two per transform, ~1,000 here; it was two thirds of this file's time). It
  // frees memory only, never changes an outcome, and the scenario's groups are a few rows.
  c.rebind(MEMORY_RECLAIM).toConstantValue(noReclaim);
  c.bind(WORKFLOW_STARTER).toConstantValue(withFaults('workflow', localStarter(), plan));
  tasksOfCurrentProcess.current = c.get<TaskRunner>(TASK_RUNNER);
  return pipelineAppOf(c, ['in memory, faults injected'], async () => {});
};
