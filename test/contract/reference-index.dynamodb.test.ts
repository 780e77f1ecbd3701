// The ReferenceIndex contract against DynamoDbReferenceIndex on DynamoDB Local, plus the
// crash-rerun guarantee this adapter adds (a landing re-registered gets its completions again)
// and a forced interleaving of two landings' completion claims.
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { scanAll } from '../../src/adapters/dynamodb/dynamodb-read.js';
import {
  FILE_SHARDS,
  filePk,
  fileOrderSk,
} from '../../src/adapters/dynamodb/dynamodb-reference-items.js';
import { DynamoDbReferenceIndex } from '../../src/adapters/dynamodb/dynamodb-reference-index.js';
import { createTable } from '../../src/adapters/dynamodb/dynamodb-table-setup.js';
import { TABLES } from '../../src/adapters/dynamodb/dynamodb-tables.js';
import { localDynamoClient, uniqueName } from '../integration/aws-clients.js';
import {
  describeReferenceIndexContract,
  itemsFile,
  ordersFile,
  productsFile,
} from './reference-index.contract.js';
import { completionsOf } from '../../src/domain/completion-columns.js';

const client = localDynamoClient();
afterAll(() => client.destroy());

const fresh = async () => {
  const table = uniqueName('reference');
  await createTable(client, TABLES.reference, table);
  return {
    table,
    port: new DynamoDbReferenceIndex(client, table),
    cleanup: async () => {
      await client.send(new DeleteTableCommand({ TableName: table }));
    },
  };
};

describeReferenceIndexContract('DynamoDbReferenceIndex (DynamoDB Local)', fresh);

describe('DynamoDbReferenceIndex (DynamoDB Local) crash re-run', () => {
  it('returns the same completions when the same landing is registered again', async () => {
    const { port, cleanup } = await fresh();
    await port.register(productsFile('p.csv', ['p1']), 0);
    await port.register(itemsFile('i.csv', [['i1', 'o1', 'p1']]), 0);
    const first = await port.register(ordersFile('o.csv', [['o1', 1]]), 0);
    const again = await port.register(ordersFile('o.csv', [['o1', 1]]), 0);
    expect(first.orderIds).toEqual(['o1']);
    expect(again).toEqual(first);
    // another landing of the same content does not win it
    expect((await port.register(ordersFile('o-copy.csv', [['o1', 1]]), 0)).orderIds).toEqual([]);
    await cleanup();
  });
});

/** Holds every completion claim (the only TransactWriteItems) until `open` is called. */
const gatedClaims = (dynamo: DynamoDBClient) => {
  let reached: () => void = () => undefined;
  let open: () => void = () => undefined;
  const atGate = new Promise<void>((r) => (reached = r));
  const gate = new Promise<void>((r) => (open = r));
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'TransactWriteItemsCommand') {
        reached();
        await gate;
      }
      return next(args);
    },
    { step: 'initialize', name: 'gatedClaims' },
  );
  return { atGate, open };
};

describe('DynamoDbReferenceIndex (DynamoDB Local) interleaved claims', () => {
  it('a landing that read stale rows and won first is followed by the newer content', async () => {
    const { port, table, cleanup } = await fresh();
    await port.register(productsFile('p.csv', ['p1']), 0);
    await port.register(itemsFile('i.csv', [['i1', 'o1', 'p1']]), 0);
    await port.register(ordersFile('a.csv', [['o1', 1, 'h-a']]), 0);
    const clientB = localDynamoClient();
    const clientC = localDynamoClient();
    try {
      const gateB = gatedClaims(clientB);
      const gateC = gatedClaims(clientC);
      // B writes and reads its rows, then waits to claim; C lands after it and reads C
      const b = new DynamoDbReferenceIndex(clientB, table).register(
        ordersFile('b.csv', [['o1', 1, 'h-b']]),
        0,
      );
      await gateB.atGate;
      const c = new DynamoDbReferenceIndex(clientC, table).register(
        ordersFile('c.csv', [['o1', 1, 'h-c']]),
        0,
      );
      await gateC.atGate;
      // B's claim (over A) wins with the stale content; C's claim over A then fails
      gateB.open();
      const wonB = await b;
      gateC.open();
      const wonC = await c;
      expect(completionsOf(wonB).map((x) => x.order.key)).toEqual(['b.csv']);
      // C reads again, sees B reported, and reports C: the current row is reported last
      expect(completionsOf(wonC).map((x) => x.order.key)).toEqual(['c.csv']);
      expect(
        (await port.register(itemsFile('i-again.csv', [['i1', 'o1', 'p1']]), 0)).orderIds,
      ).toEqual([]);
    } finally {
      clientB.destroy();
      clientC.destroy();
      await cleanup();
    }
  });
});

describe('DynamoDbReferenceIndex (DynamoDB Local) file shards', () => {
  it("spreads a file's orders over its shard partitions and still reads a file landed before them", async () => {
    const { port, table, cleanup } = await fresh();
    const doc = DynamoDBDocumentClient.from(client);
    const orders = Array.from({ length: 200 }, (_, i) => `o${i}`);
    await port.register(productsFile('p.csv', ['p1']), 0);
    await port.register(
      ordersFile(
        'o.csv',
        orders.map((o): [string, number] => [o, 1]),
      ),
      0,
    );
    const fileItems = (
      await scanAll(doc, {
        TableName: table,
        FilterExpression: 'begins_with(pk, :f)',
        ExpressionAttributeValues: { ':f': 'FO#' },
      })
    ).filter((i) => String(i['pk']).endsWith('#o.csv'));
    // 200 orders, 16 shards: every shard is used, none holds more than a fifth of the orders
    const perShard = new Map<string, number>();
    for (const i of fileItems)
      perShard.set(String(i['pk']), (perShard.get(String(i['pk'])) ?? 0) + 1);
    expect(fileItems).toHaveLength(200);
    expect(perShard.size).toBe(FILE_SHARDS);
    expect(Math.max(...perShard.values())).toBeLessThan(40);
    expect(await port.filesWhollyCompleted(['o.csv'])).toEqual([]);
    await port.register(
      itemsFile(
        'i.csv',
        orders.map((o, n) => [`i${n}`, o, 'p1']),
      ),
      0,
    );
    expect(await port.filesWhollyCompleted(['o.csv', 'i.csv'])).toEqual(['o.csv', 'i.csv']);
    // a file landed before the shards: its order items under F#<file>, one order still open
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: { pk: filePk('old.csv'), sk: 'FILE', dataset: 'orders' },
      }),
    );
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: { pk: filePk('old.csv'), sk: fileOrderSk('o-open') },
      }),
    );
    expect(await port.filesWhollyCompleted(['old.csv', 'o.csv'])).toEqual(['o.csv']);
    await cleanup();
  });
});

/** Records the partition key of each Query and the sort key of each BatchGet key sent. */
const countedReads = (dynamo: DynamoDBClient) => {
  const pks: string[] = [];
  const gets: string[] = [];
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'QueryCommand') {
        // the document client's input, before or after marshalling
        const input = args.input as { ExpressionAttributeValues?: Record<string, unknown> };
        const pk = input.ExpressionAttributeValues?.[':pk'];
        pks.push(typeof pk === 'string' ? pk : String((pk as { S?: string } | undefined)?.S));
      }
      if (context.commandName === 'BatchGetItemCommand') {
        const input = args.input as { RequestItems: Record<string, { Keys: { sk: unknown }[] }> };
        for (const { Keys } of Object.values(input.RequestItems))
          for (const { sk } of Keys)
            gets.push(typeof sk === 'string' ? sk : String((sk as { S?: string }).S));
      }
      return next(args);
    },
    { step: 'initialize', name: 'countedReads' },
  );
  return { pks, gets };
};

describe('DynamoDbReferenceIndex (DynamoDB Local) files wholly completed', () => {
  it("reads each order's partition once for all the files that name it", async () => {
    const { port, table, cleanup } = await fresh();
    await port.register(productsFile('p.csv', ['p1']), 0);
    await port.register(
      ordersFile('o.csv', [
        ['o1', 2],
        ['o2', 1],
        ['o3', 1],
      ]),
      0,
    );
    await port.register(
      itemsFile('i1.csv', [
        ['i1', 'o1', 'p1'],
        ['i2', 'o2', 'p1'],
      ]),
      0,
    );
    await port.register(
      itemsFile('i2.csv', [
        ['i3', 'o1', 'p1'],
        ['i4', 'o3', 'p9'],
      ]),
      0,
    );
    const counted = localDynamoClient();
    try {
      const { pks, gets } = countedReads(counted);
      const files = ['p.csv', 'o.csv', 'i1.csv', 'i2.csv', 'never-landed.csv'];
      // o3 waits for p9: the files naming it are not wholly completed
      expect(await new DynamoDbReferenceIndex(counted, table).filesWhollyCompleted(files)).toEqual([
        'p.csv',
        'i1.csv',
      ]);
      const orderReads = pks.filter((pk) => pk.startsWith('O#')).sort();
      expect(orderReads).toEqual(['O#o1', 'O#o2', 'O#o3']);
      // besides them, only the shard partitions of the three files with orders
      expect(pks.filter((pk) => !pk.startsWith('O#'))).toHaveLength(3 * (FILE_SHARDS + 1));
      // whether an order is complete needs no last reported completion (DONE): none is read
      expect(gets).not.toContain('DONE');
      expect(gets).toContain('PRODUCT');
    } finally {
      counted.destroy();
      await cleanup();
    }
  });
});
