// Image entrypoint: `run.mjs validate` or `run.mjs transform` (the container command the state
// machine sets). Each task main runs on import and sets process.exitCode itself.
const TASKS = new Set(['validate', 'transform']);
const task = process.argv[2];
if (!task || !TASKS.has(task)) {
  console.error(`usage: run.mjs ${[...TASKS].join('|')} (got ${task ?? 'nothing'})`);
  process.exit(64);
}
await import(`./${task}.mjs`);
