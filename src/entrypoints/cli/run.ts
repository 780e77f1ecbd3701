// The command line (main.ts loads it once the compile cache is on). Exit codes: 0 everything
// landed was processed and accepted; 3 something was rejected (summary on stderr); 4 `kpis`
// matched nothing; 2 usage error; 1 fault.
import { CommanderError } from 'commander';
import { buildProgram, commandExitCode, err } from './program.js';
import { UsageError } from './usage-error.js';

// A closed pipe (`status --json | head`) is the reader saying it has enough, not a fault.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });

const main = async (argv: readonly string[]): Promise<number> => {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return commandExitCode();
  } catch (error) {
    if (error instanceof CommanderError) {
      const benign = ['commander.helpDisplayed', 'commander.help', 'commander.version'];
      return benign.includes(error.code) ? 0 : 2;
    }
    if (error instanceof UsageError) {
      err(`error: ${error.message}`);
      return 2;
    }
    const verbose = process.argv.includes('--verbose');
    err(`shop-pipeline failed: ${error instanceof Error ? error.message : String(error)}`);
    if (verbose && error instanceof Error && error.stack) err(error.stack);
    else err('(run with --verbose for details)');
    return 1;
  }
};

process.exitCode = await main(process.argv);
