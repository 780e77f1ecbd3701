// ECS task `transform`: computes the group's facts and the KPIs of the dates it touches. The
// state machine runs it with `.sync`, so a non-zero exit code fails the state.
import { awsApp } from '../composition/aws.container.js';
import { runGroupTask } from './group-task.js';

void runGroupTask('transform', process.env, awsApp).then((code) => {
  process.exitCode = code;
  // an idle keep-alive socket must not keep a finished task running (unref: never delays exit)
  setTimeout(() => process.exit(code), 5000).unref();
});
