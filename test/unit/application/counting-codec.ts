// A staging codec that counts the files it decodes (readHashed calls), for the tests of what
// StagedRows decodes itself and what it takes decoded ahead.
import { ParquetStagingCodec } from '../../../src/adapters/parquet/parquet-staging-codec.js';
import type { StagingCodec } from '../../../src/ports/staging-codec.port.js';

/** a codec that counts the files it decodes */
export const countingCodec = (inner: StagingCodec = new ParquetStagingCodec()) => {
  const counted = { reads: 0 };
  const codec: StagingCodec = {
    writer: (d) => inner.writer(d),
    read: (b, d, o) => inner.read(b, d, o),
    readHashed: (b, d, o) => {
      counted.reads++;
      return inner.readHashed(b, d, o);
    },
  };
  return { codec, counted };
};
