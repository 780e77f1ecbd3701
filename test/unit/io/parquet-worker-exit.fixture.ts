// Run by parquet-worker-codec.test.ts as a child process: one file staged on a worker and read
// back, a second writer left unfinished with its worker running, and no close(): the process
// must still end by itself.
import { ParquetWorkerCodec } from '../../../src/adapters/parquet/parquet-worker-codec.js';
import { ITEMS_HEADER, decodeAll } from './csv-helpers.js';

const codec = new ParquetWorkerCodec({ rowGroupRows: 4, minRows: 1, spareCore: () => true });
const { batches } = await decodeAll(
  `${ITEMS_HEADER}\n` +
    Array.from({ length: 30 }, (_, i) => `i${i},o${i},u1,p1,delivered,,,,,1.00`).join('\n'),
);
const abandoned = codec.writer('order_items');
for (const b of batches) abandoned.append(b);
const w = codec.writer('order_items');
for (const b of batches) w.append(b);
let rows = 0;
for await (const b of codec.read(await w.finish(), 'order_items')) rows += b.length;
console.log(`staged ${rows} rows`);
