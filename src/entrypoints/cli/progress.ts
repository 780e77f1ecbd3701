// Progress of an ingest on stderr: a bar on a terminal (files, and the step under way, which
// shows workflows too, not only files), JSON lines with --verbose, nothing when piped. It also
// remembers the step under way, so Ctrl-C can say what was interrupted and how to resume.
import { SingleBar } from 'cli-progress';

export interface Progress {
  /** a step that is not one file: the workflows of completed orders, the stale check */
  phase(step: string): void;
  file(path: string): void;
  landed(path: string, verdict: 'landed' | 'duplicate' | 'rejected'): void;
  done(path: string): void;
  stop(): void;
}

const json = (message: string, fields: Record<string, unknown>): void =>
  void process.stderr.write(
    `${JSON.stringify({ time: new Date().toISOString(), level: 'info', message, ...fields })}\n`,
  );

export const progressOf = (total: number, verbose: boolean, handleInterrupt = true): Progress => {
  let finished = 0;
  let step = 'starting';
  const bar =
    !verbose && process.stderr.isTTY && total > 1
      ? new SingleBar({
          format: 'landing {bar} {value}/{total} files | {duration_formatted} | {step}',
          stream: process.stderr,
          hideCursor: true,
        })
      : null;
  bar?.start(total, 0, { step });
  const setStep = (text: string): void => {
    step = text;
    bar?.update({ step: text });
  };
  const onInterrupt = (): void => {
    bar?.stop();
    process.stderr.write(
      `\ninterrupted during ${step} (${finished} of ${total} file(s) done). ` +
        'Run the same command again to resume: files already landed are skipped, and the ' +
        'workflows of orders completed before the interruption run from the event log.\n',
    );
    process.exit(130);
  };
  // `on`, not `once`: a second Ctrl-C while this one exits must not kill the process silently
  if (handleInterrupt) process.on('SIGINT', onInterrupt);
  return {
    phase(text) {
      setStep(text);
      if (verbose) json('step', { step: text, files_done: finished, files_total: total });
    },
    file(path) {
      setStep(`landing ${path}`);
      if (verbose) json('landing file', { file: path, files_done: finished, files_total: total });
    },
    landed(path, verdict) {
      if (verbose) json('file judged', { file: path, verdict });
    },
    done(path) {
      finished++;
      bar?.increment({ step: `landed ${path}` });
      if (verbose) json('file done', { file: path, files_done: finished, files_total: total });
    },
    stop() {
      process.removeListener('SIGINT', onInterrupt);
      bar?.stop();
    },
  };
};
