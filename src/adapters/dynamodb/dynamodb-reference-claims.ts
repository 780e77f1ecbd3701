// Completion claims of the grouping index on DynamoDB: an order's DONE item (see
// dynamodb-reference-items.ts) moves from the fingerprint a landing read to the one it reports
// only if nobody moved it in between, so each change of an order's content is reported once.
import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  PutCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { CompletedOrder } from '../../ports/reference-index.port.js';
import * as K from './dynamodb-reference-items.js';
import { mapLimit } from './map-limit.js';

/** transactions in flight (each costs twice the WCU of a plain write) */
const PARALLEL = 8;

/** A completion to report, replacing the order's last reported fingerprint (null: none yet). */
export interface Claim {
  readonly c: CompletedOrder;
  readonly previous: string | null;
}

export class CompletionClaims {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * Claims completions 100 to a transaction. A claim whose condition fails is lost (its order
   * id is returned, to be read again); the rest of its transaction is retried. `by` is the
   * stagedKey of the landing that claims.
   */
  async claimAll(
    claims: readonly Claim[],
    by: string,
  ): Promise<{ claimed: CompletedOrder[]; lost: string[] }> {
    const chunks: Claim[][] = [];
    for (let i = 0; i < claims.length; i += 100) chunks.push(claims.slice(i, i + 100));
    // chunks hold distinct orders, so their transactions are independent: run them side by side
    const results = await mapLimit(chunks, PARALLEL, (chunk) => this.claimChunk(chunk, by));
    return {
      claimed: results.flatMap((r) => r.claimed.map((x) => x.c)),
      lost: results.flatMap((r) => r.lost.map((x) => x.c.orderId)),
    };
  }

  private async claimChunk(
    chunk: readonly Claim[],
    by: string,
  ): Promise<{ claimed: Claim[]; lost: Claim[] }> {
    const claimed: Claim[] = [];
    const lost: Claim[] = [];
    let pending = [...chunk];
    while (pending.length > 0) {
      try {
        await this.doc.send(
          new TransactWriteCommand({
            TransactItems: pending.map((x) => ({ Put: this.claimPut(x, by) })),
          }),
        );
        claimed.push(...pending);
        pending = [];
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
        const failed = (j: number) => reasons[j] === 'ConditionalCheckFailed';
        if (!pending.some((_, j) => failed(j))) {
          // a conflict with a racing transaction, not a lost claim: claim one by one
          const single = await mapLimit(pending, PARALLEL, (x) => this.claim(x, by));
          pending.forEach((x, j) => (single[j] ? claimed : lost).push(x));
          pending = [];
        } else {
          lost.push(...pending.filter((_, j) => failed(j)));
          pending = pending.filter((_, j) => !failed(j));
        }
      }
    }
    return { claimed, lost };
  }

  private claimPut({ c, previous }: Claim, by: string) {
    const item = { pk: K.orderPk(c.orderId), sk: K.DONE, fp: c.fingerprint, by };
    return {
      TableName: this.table,
      Item: item,
      ...(previous === null
        ? { ConditionExpression: 'attribute_not_exists(fp)' }
        : {
            ConditionExpression: 'fp = :previous',
            ExpressionAttributeValues: { ':previous': previous },
          }),
    };
  }

  private async claim(x: Claim, by: string): Promise<boolean> {
    try {
      await this.doc.send(new PutCommand(this.claimPut(x, by)));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
