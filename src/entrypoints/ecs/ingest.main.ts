// ECS task `ingest`: lands one file too big for the ingest Lambda (FILE_KEY). The ingest state
// machine runs it with `.sync`, so a non-zero exit code fails the state and it is retried.
import { awsApp } from '../composition/aws.container.js';
import { runIngestTask } from './ingest-task.js';

void runIngestTask(process.env, awsApp).then((code) => {
  process.exitCode = code;
  // an idle keep-alive socket must not keep a finished task running (unref: never delays exit)
  setTimeout(() => process.exit(code), 5000).unref();
});
