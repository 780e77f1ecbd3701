// `shop-pipeline retry --aws`: new executions of the deployed state machine for failed and stuck
// groups, with the operator's credentials and the stack's names from the environment (docs/deploy.md).
import { awsApp, type AwsApp, type AwsRetry } from '../composition/aws.container.js';

export const retryOnAws = async (
  groupIds: readonly string[],
  out: (text: string) => void,
  err: (text: string) => void,
  app: () => AwsApp = awsApp,
  attempt: string = new Date()
    .toISOString()
    .replace(/[^0-9]/g, '')
    .slice(0, 14),
): Promise<number> => {
  const results: AwsRetry[] = await app().retryGroups(groupIds, attempt);
  if (results.length === 0) out('no failed or stuck groups');
  for (const r of results) {
    const was = r.stuckSince === null ? r.status : `stuck: ${r.status} since ${r.stuckSince}`;
    if (r.executionName !== null) out(`${r.groupId}: started ${r.executionName} (was ${was})`);
    else err(`${r.groupId}: not retried (${r.status}): ${r.reason ?? 'unknown reason'}`);
  }
  return results.some((r) => r.executionName === null) ? 3 : 0;
};
