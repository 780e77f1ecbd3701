// The Fargate side: a VPC without NAT (public subnets, public IPs for the tasks, free gateway
// endpoints for S3 and DynamoDB), the cluster, and one task definition whose container runs
// `validate` or `transform` (the state machine picks the command).
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

export interface PipelineTasksProps {
  readonly environment: Record<string, string>;
}

export class PipelineTasks extends Construct {
  readonly vpc: ec2.Vpc;
  readonly securityGroup: ec2.SecurityGroup;
  readonly cluster: ecs.Cluster;
  readonly taskDefinition: ecs.FargateTaskDefinition;
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
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: 1024,
      memoryLimitMiB: TASK_MEMORY_MIB,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.ARM64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    this.logGroup = new logs.LogGroup(this, 'TaskLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
    });
    // A read-only root file system, with a scratch volume for the temporary files tasks write.
    this.taskDefinition.addVolume({ name: 'scratch' });
    const container = this.taskDefinition.addContainer(CONTAINER_NAME, {
      containerName: CONTAINER_NAME,
      image: ecs.ContainerImage.fromAsset(REPO_ROOT, {
        file: 'infra/Dockerfile',
        platform: ecrAssets.Platform.LINUX_ARM64,
        ignoreMode: IgnoreMode.DOCKER,
        exclude: IMAGE_CONTEXT_EXCLUDES,
      }),
      // The state machine overrides the command (validate | transform) and adds GROUP_ID,
      // MANIFEST_KEY and TASK_TOKEN per execution.
      command: ['validate'],
      environment: {
        ...props.environment,
        NODE_OPTIONS: `--max-old-space-size=${TASK_HEAP_MIB} --enable-source-maps`,
      },
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'task', logGroup: this.logGroup }),
      readonlyRootFilesystem: true,
    });
    container.addMountPoints({ sourceVolume: 'scratch', containerPath: '/tmp', readOnly: false });
  }

  /** public subnet ids, in the order the state machine substitutes them */
  subnetIds(): [string, string] {
    const [a, b] = this.vpc.publicSubnets;
    if (!a || !b) throw new Error('the task VPC needs two public subnets');
    return [a.subnetId, b.subnetId];
  }
}
