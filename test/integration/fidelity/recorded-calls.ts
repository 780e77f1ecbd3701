// Every AWS SDK call a principal makes, recorded by a middleware on its clients and turned into
// the (IAM action, resource ARN) pairs AWS would authorise: the IAM simulation checks these
// against the principal's policies in the synthesised template.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SFNClient } from '@aws-sdk/client-sfn';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';

export interface Call {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
}

export interface Names {
  readonly bucket: string;
  readonly stateMachineArn: string;
  readonly busName: string;
}

type Input = Record<string, unknown>;
const str = (v: unknown): string => String(v);

// lib-dynamodb's document commands carry their own names; IAM knows the item API's
const DOCUMENT_COMMANDS: Record<string, string> = {
  Put: 'PutItem',
  Get: 'GetItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  BatchWrite: 'BatchWriteItem',
  BatchGet: 'BatchGetItem',
  TransactWrite: 'TransactWriteItems',
  TransactGet: 'TransactGetItems',
};

const tableArn = (table: string, index?: unknown) =>
  `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${table}` +
  (typeof index === 'string' ? `/index/${index}` : '');

const dynamoCalls = (name: string, input: Input): Array<[string, string]> => {
  const api = DOCUMENT_COMMANDS[name] ?? name;
  const action = `dynamodb:${api}`;
  if (api === 'BatchWriteItem' || api === 'BatchGetItem') {
    return Object.keys(input.RequestItems as Input).map((t) => [action, tableArn(t)]);
  }
  if (api === 'TransactWriteItems' || api === 'TransactGetItems') {
    // each item is authorised as its own action on its table (PutItem, UpdateItem, ...)
    return (input.TransactItems as Input[]).flatMap((item) =>
      Object.entries(item).map(([kind, body]): [string, string] => {
        const op =
          {
            Put: 'PutItem',
            Update: 'UpdateItem',
            Delete: 'DeleteItem',
            Get: 'GetItem',
            ConditionCheck: 'ConditionCheckItem',
          }[kind] ?? kind;
        return [`dynamodb:${op}`, tableArn(str((body as Input).TableName))];
      }),
    );
  }
  return [[action, tableArn(str(input.TableName), input.IndexName)]];
};

const s3Calls = (name: string, input: Input, names: Names): Array<[string, string]> => {
  const object = (key: unknown) => `arn:aws:s3:::${names.bucket}/${str(key)}`;
  switch (name) {
    case 'GetObject':
    case 'HeadObject':
      return [['s3:GetObject', object(input.Key)]];
    case 'PutObject':
      return [['s3:PutObject', object(input.Key)]];
    case 'DeleteObject':
      return [['s3:DeleteObject', object(input.Key)]];
    case 'CopyObject': {
      const source = decodeURIComponent(str(input.CopySource).replace(`${names.bucket}/`, ''));
      return [
        ['s3:GetObject', object(source)],
        ['s3:PutObject', object(input.Key)],
      ];
    }
    case 'ListObjectsV2':
      return [['s3:ListBucket', `arn:aws:s3:::${names.bucket}`]];
    default:
      return [[`s3:${name}`, `arn:aws:s3:::${names.bucket}`]];
  }
};

const callsOf = (service: string, command: string, input: Input, names: Names) => {
  const name = command.replace(/Command$/, '');
  if (service === 's3') return s3Calls(name, input, names);
  if (service === 'dynamodb') return dynamoCalls(name, input);
  if (service === 'events') {
    return [
      [`events:${name}`, `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${names.busName}`],
    ] as Array<[string, string]>;
  }
  return [[`states:${name}`, names.stateMachineArn]] as Array<[string, string]>;
};

type Recordable = S3Client | DynamoDBClient | EventBridgeClient | SFNClient;

/** records each command the client sends, as the principal's (action, resource) pairs */
export const recordCalls = (
  client: Recordable,
  service: 's3' | 'dynamodb' | 'events' | 'states',
  principal: string,
  names: Names,
  calls: Call[],
): void => {
  (client.middlewareStack as { add: (mw: unknown, opts: unknown) => void }).add(
    (next: (args: { input: Input }) => Promise<unknown>, context: { commandName?: string }) =>
      async (args: { input: Input }) => {
        for (const [action, resource] of callsOf(
          service,
          context.commandName ?? '',
          args.input,
          names,
        )) {
          calls.push({ principal, action, resource });
        }
        return next(args);
      },
    { step: 'initialize', name: `record-${principal}-${service}` },
  );
};
