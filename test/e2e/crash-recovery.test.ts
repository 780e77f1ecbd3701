// Issue 4, Done-when 6: a process killed with SIGKILL in the middle of `ingest` and run again
// ends with the same KPIs and event log (streams, versions, types) as an uninterrupted run.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cli,
  cliKilledWhen,
  eventLogOf,
  filesUnder,
  relativeFiles,
  tempDir,
  removeTempDirs,
} from './cli-harness.js';

afterAll(removeTempDirs);

describe('ingest killed with SIGKILL, then run again', () => {
  it('ends with the same KPIs and event log as an uninterrupted run', async () => {
    const input = tempDir('crash-in');
    expect(
      cli(tempDir('crash-gen'), 'generate', '--out', input, '--orders', '300', '--seed', '11').code,
    ).toBe(0);

    const clean = tempDir('crash-clean');
    expect(cli(clean, 'ingest', input).code).toBe(0);
    const cleanKpis = cli(clean, 'kpis', '--json').stdout;
    const cleanLog = await eventLogOf(clean);
    expect(cleanLog.some((e) => e.endsWith('Archived'))).toBe(true);

    const crashed = tempDir('crash-killed');
    const bucket = (dir: string): string => join(crashed, 'bucket', dir);
    // once while files are landing (some staged), once when the first group has formed
    expect(
      await cliKilledWhen(crashed, () => filesUnder(bucket('staging')) >= 3, 'ingest', input),
    ).toBe(true);
    expect(filesUnder(bucket('groups'))).toBe(0);
    expect(
      await cliKilledWhen(crashed, () => filesUnder(bucket('groups')) >= 1, 'ingest', input),
    ).toBe(true);
    // and once while raw files move to archive/ (the group's workflow resumed by the dispatcher)
    await cliKilledWhen(crashed, () => filesUnder(bucket('archive')) >= 1, 'ingest', input);
    const finish = cli(crashed, 'ingest', input);
    expect(finish.code, finish.stderr).toBe(0);

    expect(cli(crashed, 'kpis', '--json').stdout).toBe(cleanKpis);
    expect(await eventLogOf(crashed)).toEqual(cleanLog);
    expect(cli(crashed, 'replay').code).toBe(0);
    // the same raw files were archived, and the same ones are still waiting in incoming/
    for (const dir of ['archive', 'incoming', 'staging', 'groups']) {
      expect(relativeFiles(bucket(dir))).toEqual(relativeFiles(join(clean, 'bucket', dir)));
    }
  });
});
