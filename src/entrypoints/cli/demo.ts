// `demo` and `generate`: the deterministic sample shop, landed in a seeded shuffled order.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sampleFiles, shuffled } from '../../application/sample-files.js';
import type { PipelineApp } from '../composition/pipeline-app.js';
import { ingest, type IngestSummary } from './ingest.js';
import { kpiTables } from './render.js';

export const runGenerate = (o: { out: string; orders: number; seed: number }): string[] =>
  sampleFiles(o).map((f) => {
    const path = join(o.out, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.text);
    return path;
  });

export const runDemo = async (
  app: PipelineApp,
  o: { orders: number; seed: number },
  out: (text: string) => void,
  home: string,
): Promise<IngestSummary> => {
  const files = shuffled(sampleFiles(o), o.seed);
  const encoder = new TextEncoder();
  out(`Landing ${files.length} sample files (${o.orders} orders, seed ${o.seed}) in this order:`);
  files.forEach((f) => out(`  ${f.path}`));
  const summary = await ingest(
    app,
    files.map((f) => ({
      path: f.path,
      name: f.path.split('/').at(-1) ?? f.path,
      dataset: f.dataset,
      content: encoder.encode(f.text),
    })),
  );
  out('');
  out(kpiTables(await app.kpis()));
  out('');
  out('State lives in:');
  app.describeState.forEach((line) => out(`  ${line}`));
  out(
    `Run \`npx shop-pipeline --home ${home} status\` for files, groups and pending orders; ` +
      'the demo is idempotent.',
  );
  return summary;
};
