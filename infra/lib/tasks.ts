// The Fargate side: a VPC without NAT (public subnets, public IPs for the tasks, free gateway
// endpoints for S3 and DynamoDB), the cluster, and two task definitions of the one image: one
// whose container runs `validate` or `transform` (the state machine picks the command), and the
// `ingest` task that lands files too big for the ingest Lambda, with a role of its own (the
// ingest function's grants, none of the transform's).
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IgnoreMode } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CONTAINER_NAME, REPO_ROOT } from './layout.js';

// The Docker build context is the repository root; only what the image build reads is staged,
// so synth stays fast and the image hash changes only when the task code changes.
export const IMAGE_CONTEXT_EXCLUDES = [
  '*',
  '!package.json',
  '!package-lock.json',
  '!tsconfig.json',
  '!src',
  '!infra/Dockerfile',
  '!infra/docker',
];

/** Fargate task size; one definition runs both validate and transform */
export const TASK_MEMORY_MIB = 4096;
/** V8's heap limit defaults to a fraction of what the host reports, not the task's memory: set
 *  it to three quarters of the task, leaving the rest to Arrow/Parquet buffers and wasm memory,
 *  which live outside the V8 heap, so a big group fails with a heap error, not an OOM kill */
export const TASK_HEAP_MIB = Math.floor(TASK_MEMORY_MIB * 0.75);

/** The ingest task: 2 vCPU, 4 GB (docs/scaling.md). One event loop does the landing; the second
 *  vCPU takes V8's concurrent GC. Measured through the AWS adapters, the peak RSS grows ~2.2 KB
 *  per order_items row (the write requests are built before they are sent): ~2.5 GB for 1M rows,
 *  extrapolated. So 4 GB, with the heap at three quarters of it as for the group tasks */
export const INGEST_TASK_CPU = 2048;
export const INGEST_TASK_MEMORY_MIB = 4096;
export const INGEST_TASK_HEAP_MIB = Math.floor(INGEST_TASK_MEMORY_MIB * 0.75);

export interface PipelineTasksProps {
  readonly environment: Record<string, string>;
}

export class PipelineTasks extends Construct {
  readonly vpc: ec2.Vpc;
  readonly securityGroup: ec2.SecurityGroup;
  readonly cluster: ecs.Cluster;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly ingestTaskDefinition: ecs.FargateTaskDefinition;
  readonly ingestContainer: ecs.ContainerDefinition;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PipelineTasksProps) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 }],
      gatewayEndpoints: {
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
        DynamoDB: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
      },
    });
    // Rejected traffic only: enough to debug a blocked task at a fraction of the log volume.
    this.vpc.addFlowLog('RejectedFlows', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(
        new logs.LogGroup(this, 'FlowLogs', { retention: logs.RetentionDays.TWO_WEEKS }),
      ),
      trafficType: ec2.FlowLogTrafficType.REJECT,
    });
    this.securityGroup = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
      vpc: this.vpc,
      description: 'shop-pipeline tasks: no inbound, outbound to AWS APIs',
      allowAllOutbound: true,
    });
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: this.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    this.logGroup = new logs.LogGroup(this, 'TaskLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
    });
    const image = ecs.ContainerImage.fromAsset(REPO_ROOT, {
      file: 'infra/Dockerfile',
      platform: ecrAssets.Platform.LINUX_ARM64,
      ignoreMode: IgnoreMode.DOCKER,
      exclude: IMAGE_CONTEXT_EXCLUDES,
    });
    // The state machine overrides the command (validate | transform) and adds GROUP_ID,
    // MANIFEST_KEY and TASK_TOKEN per execution.
    this.taskDefinition = this.definition('TaskDefinition', image, props, {
      cpu: 1024,
      memoryMiB: TASK_MEMORY_MIB,
      heapMiB: TASK_HEAP_MIB,
      command: 'validate',
      streamPrefix: 'task',
    }).taskDefinition;
    // The ingest state machine sets FILE_KEY per execution.
    const ingest = this.definition('IngestTaskDefinition', image, props, {
      cpu: INGEST_TASK_CPU,
      memoryMiB: INGEST_TASK_MEMORY_MIB,
      heapMiB: INGEST_TASK_HEAP_MIB,
      command: 'ingest',
      streamPrefix: 'ingest',
    });
    this.ingestTaskDefinition = ingest.taskDefinition;
    this.ingestContainer = ingest.container;
  }

  private definition(
    id: string,
    image: ecs.ContainerImage,
    props: PipelineTasksProps,
    size: {
      cpu: number;
      memoryMiB: number;
      heapMiB: number;
      command: string;
      streamPrefix: string;
    },
  ): { taskDefinition: ecs.FargateTaskDefinition; container: ecs.ContainerDefinition } {
    const taskDefinition = new ecs.FargateTaskDefinition(this, id, {
      cpu: size.cpu,
      memoryLimitMiB: size.memoryMiB,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.ARM64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    // A read-only root file system, with a scratch volume for the temporary files tasks write.
    taskDefinition.addVolume({ name: 'scratch' });
    const container = taskDefinition.addContainer(CONTAINER_NAME, {
      containerName: CONTAINER_NAME,
      image,
      command: [size.command],
      environment: {
        ...props.environment,
        NODE_OPTIONS: `--max-old-space-size=${size.heapMiB} --enable-source-maps`,
      },
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: size.streamPrefix, logGroup: this.logGroup }),
      readonlyRootFilesystem: true,
    });
    container.addMountPoints({ sourceVolume: 'scratch', containerPath: '/tmp', readOnly: false });
    return { taskDefinition, container };
  }

  /** public subnet ids, in the order the state machine substitutes them */
  subnetIds(): [string, string] {
    const [a, b] = this.vpc.publicSubnets;
    if (!a || !b) throw new Error('the task VPC needs two public subnets');
    return [a.subnetId, b.subnetId];
  }
}
