// KPI totals rolled up per period on DynamoDB: one strongly consistent Query per listed date of its
// per-order contribution rows (dynamodb-order-contributions.ts), each row counted under its
// period. An order is one row, so distinct orders and customers stay exact over a week or a month
// without reading a fact. Proven equal to the domain's rollUpTotals by
// test/contract/fact-store-periods.contract.ts.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { periodsOf, type RollUp } from '../../domain/kpi/kpi-periods.js';
import type { KpiTotals } from '../../domain/kpi/kpi.types.js';
import {
  totalsOfContributions,
  type OrderContribution,
} from '../../domain/kpi/order-contributions.js';
import { rawQueryAll } from './dynamodb-exact-numbers.js';
import { contributionOf, datePk } from './dynamodb-order-contributions.js';
import { mapLimit } from './map-limit.js';

/** the contribution rows of one date (the partition #date#<date> of the facts table) */
export const contributionsOfDate = async (
  client: DynamoDBClient,
  table: string,
  date: string,
): Promise<OrderContribution[]> => {
  const rows = await rawQueryAll(client, {
    TableName: table,
    KeyConditionExpression: 'order_id = :pk',
    ExpressionAttributeValues: { ':pk': { S: datePk(date) } },
  });
  return rows.map(contributionOf);
};

export const dynamoDbPeriodTotals = async (
  client: DynamoDBClient,
  table: string,
  dates: readonly string[],
  by: RollUp,
): Promise<KpiTotals> => {
  const periods = periodsOf(dates, by);
  const found = await mapLimit([...periods], 8, async ([date, period]) =>
    (await contributionsOfDate(client, table, date)).map((c) => ({ ...c, date: period })),
  );
  return totalsOfContributions(found.flat());
};
