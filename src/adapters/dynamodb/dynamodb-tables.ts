// The DynamoDB tables as plain data: the adapters use it, and the CDK stack (infra/) builds the
// tables from it, so key schemas cannot drift between code and deployment.
export type AttributeType = 'S' | 'N';

export interface KeyAttribute {
  readonly name: string;
  readonly type: AttributeType;
}

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
}

export interface TableDefinition {
  /** stable logical name, also the CDK construct id */
  readonly logicalName: 'events' | 'reference' | 'facts' | 'orderKpis' | 'categoryKpis';
  /** environment variable that carries the physical table name to Lambdas and tasks */
  readonly envVar: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly globalSecondaryIndexes?: readonly IndexDefinition[];
}

export const TABLES = {
  events: {
    logicalName: 'events',
    envVar: 'EVENTS_TABLE',
    partitionKey: { name: 'stream_id', type: 'S' },
    sortKey: { name: 'version', type: 'N' },
  },
  reference: {
    logicalName: 'reference',
    envVar: 'REFERENCE_TABLE',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
  },
  facts: {
    logicalName: 'facts',
    envVar: 'FACTS_TABLE',
    partitionKey: { name: 'order_id', type: 'S' },
    sortKey: { name: 'item_id', type: 'S' },
    globalSecondaryIndexes: [
      {
        indexName: 'by_date',
        partitionKey: { name: 'order_date', type: 'S' },
        sortKey: { name: 'item_id', type: 'S' },
      },
    ],
  },
  orderKpis: {
    logicalName: 'orderKpis',
    envVar: 'ORDER_KPIS_TABLE',
    partitionKey: { name: 'order_date', type: 'S' },
  },
  categoryKpis: {
    logicalName: 'categoryKpis',
    envVar: 'CATEGORY_KPIS_TABLE',
    partitionKey: { name: 'category', type: 'S' },
    sortKey: { name: 'order_date', type: 'S' },
    globalSecondaryIndexes: [
      {
        indexName: 'by_date',
        partitionKey: { name: 'order_date', type: 'S' },
        sortKey: { name: 'category', type: 'S' },
      },
    ],
  },
} as const satisfies Record<string, TableDefinition>;
