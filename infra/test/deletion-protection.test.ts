// Deletion protection is a deployment choice (`-c deletionProtection=false` for a throw-away
// stack): off, the tables go with the stack; on (the default, see pipeline-stack.test.ts), they stay.
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLES } from '../../src/adapters/dynamodb/dynamodb-tables.js';
import { synthPipeline, type Synthesised } from './synth.js';

let synth: Synthesised;
beforeAll(() => {
  synth = synthPipeline({ bundle: false, nag: false, deletionProtection: false });
}, 120_000);

describe('deletionProtection: false', () => {
  it('leaves the tables unprotected and deletes them with the stack', () => {
    const tables = synth.template.findResources('AWS::DynamoDB::Table');
    expect(Object.keys(tables)).toHaveLength(Object.keys(TABLES).length);
    for (const table of Object.values(tables)) {
      expect(table.Properties.DeletionProtectionEnabled).toBe(false);
      expect(table.DeletionPolicy).toBe('Delete');
    }
  });

  it('still retains the buckets (data is deleted only by hand)', () => {
    for (const bucket of Object.values(synth.template.findResources('AWS::S3::Bucket'))) {
      expect(bucket.DeletionPolicy).toBe('Retain');
    }
  });
});
