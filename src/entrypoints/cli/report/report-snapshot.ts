// What `serve` shows, re-read only when the home's state changed. Another process (`ingest`,
// `watch`) writes the same SQLite file, so a change is seen cheaply as a new size or mtime of
// state.db or its write-ahead log; the app is opened only to read and closed again at once, so
// `serve` never holds the home open between changes.
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ReportData } from '../../../application/report-data.js';
import type { PipelineApp } from '../../composition/pipeline-app.js';
import { kpisJson, statusJson } from '../render.js';
import { loadReportData, type ReportRange } from './report-file.js';

export interface Snapshot {
  readonly data: ReportData;
  /** exactly what `kpis --json` prints */
  readonly kpisJson: string;
  /** exactly what `status --json` prints */
  readonly statusJson: string;
}

export interface Versioned {
  readonly snapshot: Snapshot;
  /** 1 for the first snapshot, +1 each time what a reader sees changed */
  readonly version: number;
}

const stamp = (path: string): string => {
  try {
    const s = statSync(path);
    return `${s.size}@${s.mtimeMs}`;
  } catch {
    return '-';
  }
};

/** changes whenever a committed write reached the database file or its WAL */
export const stateSignature = (home: string): string => {
  const db = join(resolve(home), 'state.db');
  return `${stamp(db)}|${stamp(`${db}-wal`)}`;
};

/** the part of the data that says whether anything a reader sees changed */
const content = (s: Snapshot): string =>
  JSON.stringify({ ...s.data, generatedAt: '' }) + s.kpisJson + s.statusJson;

export class SnapshotSource {
  private signature = '';
  private snapshot: Snapshot | null = null;
  private reading: Promise<Versioned> | null = null;
  private version = 0;

  constructor(
    private readonly home: string,
    private readonly range: ReportRange,
    private readonly openApp: () => PipelineApp,
  ) {}

  /** the current snapshot, re-read when the state changed; the version counts content changes */
  current(): Promise<Versioned> {
    if (this.snapshot !== null && stateSignature(this.home) === this.signature)
      return Promise.resolve({ snapshot: this.snapshot, version: this.version });
    this.reading ??= this.read().finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  private async read(): Promise<Versioned> {
    const app = this.openApp();
    let next: Snapshot;
    try {
      const data = await loadReportData(app, this.home, this.range);
      next = {
        data,
        kpisJson: kpisJson(await app.kpis()),
        statusJson: statusJson(await app.status()),
      };
    } finally {
      await app.close();
    }
    // taken after closing: closing the last connection may checkpoint the WAL itself
    this.signature = stateSignature(this.home);
    if (this.snapshot === null || content(this.snapshot) !== content(next)) this.version++;
    this.snapshot = next;
    return { snapshot: next, version: this.version };
  }
}
