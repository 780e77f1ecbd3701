// Every AWS API call a principal makes, as its HTTP request reached the test's recording proxy
// (so calls from a bundled handler's own SDK copy are seen too), turned into the (IAM action,
// resource ARN) pairs AWS would authorise: the IAM simulation checks these against the
// principal's policies in the synthesised template.

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

const tableArn = (table: string, index?: unknown) =>
  `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${table}` +
  (typeof index === 'string' ? `/index/${index}` : '');

const dynamoCalls = (name: string, input: Input): Array<[string, string]> => {
  const api = name;
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
    // a multipart upload's steps are authorised as PutObject on the key being written
    case 'PutObject':
    case 'CreateMultipartUpload':
    case 'UploadPart':
    case 'CompleteMultipartUpload':
      return [['s3:PutObject', object(input.Key)]];
    case 'AbortMultipartUpload':
      return [['s3:AbortMultipartUpload', object(input.Key)]];
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

/** the (IAM action, resource) pairs one API call needs: `operation` as the service's API names it */
export const callsOf = (
  service: Service,
  operation: string,
  input: Input,
  names: Names,
): Array<[string, string]> => {
  if (service === 's3') return s3Calls(operation, input, names);
  if (service === 'dynamodb') return dynamoCalls(operation, input);
  if (service === 'events') {
    return [
      [`events:${operation}`, `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${names.busName}`],
    ];
  }
  // StartExecution names its machine; SendTask* are authorised against the token's machine
  const machine = typeof input.stateMachineArn === 'string' ? input.stateMachineArn : null;
  return [[`states:${operation}`, machine ?? names.stateMachineArn]];
};

export type Service = 's3' | 'dynamodb' | 'events' | 'states';

/** One S3 REST request (path style, as the clients on a custom endpoint send it) as the API
 *  operation it is and the input fields the IAM mapping reads. */
export const s3OperationOf = (
  method: string,
  url: URL,
  headers: Readonly<Record<string, string | string[] | undefined>>,
): { operation: string; input: Input } => {
  const [, , ...rest] = url.pathname.split('/');
  const key = decodeURIComponent(rest.join('/'));
  const header = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  if (key === '') {
    if (method === 'GET' && url.searchParams.has('list-type'))
      return { operation: 'ListObjectsV2', input: {} };
    return { operation: `${method}Bucket`, input: {} };
  }
  const upload = url.searchParams.has('uploadId');
  if (method === 'POST' && url.searchParams.has('uploads'))
    return { operation: 'CreateMultipartUpload', input: { Key: key } };
  if (method === 'PUT' && upload) return { operation: 'UploadPart', input: { Key: key } };
  if (method === 'POST' && upload)
    return { operation: 'CompleteMultipartUpload', input: { Key: key } };
  if (method === 'DELETE' && upload)
    return { operation: 'AbortMultipartUpload', input: { Key: key } };
  if (method === 'GET') return { operation: 'GetObject', input: { Key: key } };
  if (method === 'HEAD') return { operation: 'HeadObject', input: { Key: key } };
  if (method === 'DELETE') return { operation: 'DeleteObject', input: { Key: key } };
  if (method === 'PUT' && header('x-amz-copy-source') !== undefined) {
    return {
      operation: 'CopyObject',
      input: { Key: key, CopySource: header('x-amz-copy-source') },
    };
  }
  if (method === 'PUT') {
    const ifNoneMatch = header('if-none-match');
    return {
      operation: 'PutObject',
      input: { Key: key, ...(ifNoneMatch === undefined ? {} : { IfNoneMatch: ifNoneMatch }) },
    };
  }
  return { operation: `${method}Object`, input: { Key: key } };
};
