// Runs the shop-pipeline command line as a child process against a temporary --home.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { localApp } from '../../src/entrypoints/composition/local.container.js';
import { sharedFixture } from '../support/shared-fixtures.js';

export const repoRoot = join(import.meta.dirname, '..', '..');
const labFixture = sharedFixture('lab-data');
export const labData = labFixture.path;
/** false on a clone without ../shared: the lab-data tests skip (the reason is printed) */
export const hasLabData = labFixture.present;
export const bin = join(repoRoot, 'bin', 'shop-pipeline.js');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const created: string[] = [];
export const tempDir = (label: string): string => {
  const dir = mkdtempSync(join(tmpdir(), `shop-pipeline-${label}-`));
  created.push(dir);
  return dir;
};
/** removes every temp dir this test file made (call from afterAll) */
export const removeTempDirs = (): void => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
};

export const cli = (home: string, ...args: string[]): CliRun => {
  const r = spawnSync(process.execPath, [bin, '--home', home, ...args], {
    encoding: 'utf8',
    cwd: repoRoot,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

/** starts the CLI and kills it with SIGKILL as soon as `ready()` holds (polled); true when killed */
export const cliKilledWhen = (
  home: string,
  ready: () => boolean,
  ...args: string[]
): Promise<boolean> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, '--home', home, ...args], {
      cwd: repoRoot,
      stdio: 'ignore',
    });
    const poll = setInterval(() => {
      if (ready()) child.kill('SIGKILL');
    }, 10);
    child.on('exit', (_code, signal) => {
      clearInterval(poll);
      resolve(signal === 'SIGKILL');
    });
  });

export const filesUnder = (dir: string): number => {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
      .length;
  } catch {
    return 0;
  }
};

/** relative paths of the files under dir, sorted ([] when absent) */
export const relativeFiles = (dir: string): string[] => {
  try {
    return (
      readdirSync(dir, { recursive: true, withFileTypes: true })
        // '.~*.tmp': the file-system store's half-written temp files, which a kill can leave behind
        .filter((e) => e.isFile() && !e.name.startsWith('.~'))
        .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
        .sort()
    );
  } catch {
    return [];
  }
};

export const writeFiles = (dir: string, files: Record<string, string>): string[] =>
  Object.entries(files).map(([name, text]) => {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return path;
  });

/** the log as (stream, version, type) triples plus the files each event names */
export const eventLogOf = async (home: string): Promise<string[]> => {
  const app = localApp({ home, logLevel: 'silent' });
  try {
    return (await app.eventLog()).map((e) => `${e.streamId}#${e.version} ${e.type}`).sort();
  } finally {
    await app.close();
  }
};

export const ORDERS_HEADER =
  'order_id,user_id,status,created_at,returned_at,shipped_at,delivered_at,num_of_item';
export const ITEMS_HEADER =
  'id,order_id,user_id,product_id,status,created_at,shipped_at,delivered_at,returned_at,sale_price';
export const PRODUCTS_HEADER = 'id,sku,cost,category,name,brand,retail_price,department';
export const csv = (header: string, ...rows: string[]): string =>
  `${[header, ...rows].join('\n')}\n`;
