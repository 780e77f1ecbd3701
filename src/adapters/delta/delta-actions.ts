// Delta transaction log actions (PROTOCOL.md "Actions"): the subset this project reads and writes.
// Fields other writers add (tags, stats_parsed, deletionVector...) are kept loosely typed.

export type PartitionValues = Readonly<Record<string, string | null>>;

export interface AddAction {
  readonly path: string;
  readonly partitionValues: PartitionValues;
  readonly size: number;
  readonly modificationTime: number;
  readonly dataChange: boolean;
  /** JSON string: numRecords, minValues, maxValues, nullCount */
  readonly stats?: string | null;
  readonly tags?: Readonly<Record<string, string | null>> | null;
}

export interface RemoveAction {
  readonly path: string;
  readonly deletionTimestamp?: number | null;
  readonly dataChange: boolean;
  readonly extendedFileMetadata?: boolean | null;
  readonly partitionValues?: PartitionValues | null;
  readonly size?: number | null;
}

export interface MetaDataAction {
  readonly id: string;
  readonly name?: string | null;
  readonly description?: string | null;
  readonly format: {
    readonly provider: string;
    readonly options: Readonly<Record<string, string>>;
  };
  readonly schemaString: string;
  readonly partitionColumns: readonly string[];
  readonly configuration: Readonly<Record<string, string | null>>;
  readonly createdTime?: number | null;
}

export interface ProtocolAction {
  readonly minReaderVersion: number;
  readonly minWriterVersion: number;
}

export interface TxnAction {
  readonly appId: string;
  readonly version: number;
  readonly lastUpdated?: number | null;
}

export type CommitInfo = Readonly<Record<string, unknown>>;

export type Action =
  | { readonly add: AddAction }
  | { readonly remove: RemoveAction }
  | { readonly metaData: MetaDataAction }
  | { readonly protocol: ProtocolAction }
  | { readonly txn: TxnAction }
  | { readonly commitInfo: CommitInfo };

/** The reader versions this implementation understands (no table features, no deletion vectors). */
export const SUPPORTED_READER_VERSION = 1;

export const LOG_DIR = '_delta_log';

export const commitFileName = (version: number): string =>
  `${String(version).padStart(20, '0')}.json`;

export const checkpointFileName = (version: number): string =>
  `${String(version).padStart(20, '0')}.checkpoint.parquet`;

/** Parses one commit file (newline-delimited JSON; blank lines allowed). */
export function parseCommit(text: string): Action[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Action);
}

export const serializeCommit = (actions: readonly Action[]): string =>
  actions.map((a) => JSON.stringify(a)).join('\n') + '\n';
