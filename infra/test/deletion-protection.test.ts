// Deletion protection is a deployment choice (`-c deletionProtection=false` for a throw-away
// stack): off, the tables go with the stack; on (the default, see pipeline-stack.test.ts), they
// stay. Only the storage construct is synthesised: the rest of the stack plays no part here.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLES } from '../../src/adapters/dynamodb/dynamodb-tables.js';
import { cdkJsonContext } from '../lib/context.js';
import { Storage } from '../lib/storage.js';

const storageTemplate = (deletionProtection: boolean): Template => {
  const stack = new Stack(new App({ context: cdkJsonContext() }), 'StorageOnly');
  new Storage(stack, 'Storage', { deletionProtection });
  return Template.fromStack(stack);
};

let unprotected: Template;
let protectedTables: Template;
beforeAll(() => {
  unprotected = storageTemplate(false);
  protectedTables = storageTemplate(true);
  // two syntheses: slow on a busy machine, never a reason to fail
}, 600_000);

describe('deletionProtection', () => {
  it('off: leaves the tables unprotected and deletes them with the stack', () => {
    const tables = unprotected.findResources('AWS::DynamoDB::Table');
    expect(Object.keys(tables)).toHaveLength(Object.keys(TABLES).length);
    for (const table of Object.values(tables)) {
      expect(table.Properties.DeletionProtectionEnabled).toBe(false);
      expect(table.DeletionPolicy).toBe('Delete');
    }
  });

  it('on: protects the tables and retains them when the stack is deleted', () => {
    for (const table of Object.values(protectedTables.findResources('AWS::DynamoDB::Table'))) {
      expect(table.Properties.DeletionProtectionEnabled).toBe(true);
      expect(table.DeletionPolicy).toBe('Retain');
    }
  });

  it('either way retains the buckets (data is deleted only by hand)', () => {
    for (const template of [unprotected, protectedTables]) {
      for (const bucket of Object.values(template.findResources('AWS::S3::Bucket'))) {
        expect(bucket.DeletionPolicy).toBe('Retain');
      }
    }
  });
});
