// Image entrypoint: `run.mjs validate`, `run.mjs transform` or `run.mjs ingest` (the container
// command the state machines set). Each task main runs on import and sets process.exitCode itself.
const TASKS = new Set(['validate', 'transform', 'ingest']);
const task = process.argv[2];
if (!task || !TASKS.has(task)) {
  console.error(`usage: run.mjs ${[...TASKS].join('|')} (got ${task ?? 'nothing'})`);
  process.exit(64);
}
await import(`./${task}.mjs`);
