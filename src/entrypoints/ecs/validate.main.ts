// ECS task `validate`: validates a completed group and reports to Step Functions with the task
// token (SendTaskSuccess with {groupId, manifestKey, ok, reportKey}, or SendTaskFailure).
import { awsApp } from '../composition/aws.container.js';
import { runGroupTask } from './group-task.js';

void runGroupTask('validate', process.env, awsApp).then((code) => {
  process.exitCode = code;
  // an idle keep-alive socket must not keep a finished task running (unref: never delays exit)
  setTimeout(() => process.exit(code), 5000).unref();
});
