// The local-server launcher's failure mode: without Java, a message that says what to install.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startDynamoLocal } from './local-servers.js';

describe('DynamoDB Local launcher', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('fails with install instructions when java is not on the PATH', async () => {
    vi.stubEnv('PATH', '/nonexistent');
    await expect(startDynamoLocal()).rejects.toThrow(/openjdk-17-jre-headless/);
  });
});
