// CDK app: `npm run synth` (offline) or `npx cdk deploy` (docs/deploy.md).
import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { cdkJsonContext } from '../lib/context.js';
import { PipelineStack } from '../lib/pipeline-stack.js';

const app = new App({ context: cdkJsonContext() });
// `-c deletionProtection=false` for a throw-away stack whose tables go with it.
const protection: unknown = app.node.tryGetContext('deletionProtection');
new PipelineStack(app, 'ShopPipeline', {
  description: 'shop-pipeline: event-driven pipeline for e-commerce shop exports',
  deletionProtection: protection !== false && protection !== 'false',
});
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
