// Micro-benchmark of body validation: µs per call of the app's InputValidationPipe and of Nest's
// ValidationPipe (class-transformer, then class-validator) on the same class and create body.
// Run `npm run build` first, then `node scripts/bench-validation.cjs [iterations] [runs]`.
require('reflect-metadata');
// Every module, so class-validator holds all the app's classes (config sections too), as it runs.
require('../dist/app.module');
const { ValidationPipe } = require('@nestjs/common');
const { InputValidationPipe } = require('../dist/core/validation/input-validation.pipe');
const { CreateTaskDto } = require('../dist/tasks/task.dto');

const iterations = Number(process.argv[2] ?? 20_000);
const runs = Number(process.argv[3] ?? 9);
const body = { title: 'Buy milk', description: 'Two litres, semi-skimmed', completed: false };
const metadata = { type: 'body', metatype: CreateTaskDto, data: undefined };

const pipes = {
  'InputValidationPipe (ours)': new InputValidationPipe(),
  'Nest ValidationPipe': new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
  }),
};

// Each call awaited, as Nest awaits every pipe on the request path.
async function run(pipe) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await pipe.transform({ ...body }, metadata);
  return Number(process.hrtime.bigint() - start) / 1000 / iterations;
}

async function main() {
  for (const [name, pipe] of Object.entries(pipes)) {
    const out = await pipe.transform({ ...body }, metadata);
    if (!(out instanceof CreateTaskDto) || out.title !== body.title)
      throw new Error(`${name}: ${JSON.stringify(out)}`);
    await run(pipe); // warm-up
  }
  const times = Object.fromEntries(Object.keys(pipes).map((name) => [name, []]));
  for (let r = 0; r < runs; r++) {
    for (const [name, pipe] of Object.entries(pipes)) times[name].push(await run(pipe)); // interleaved
  }
  console.log(`node ${process.version}, ${iterations} calls x ${runs} runs, create body`);
  for (const [name, list] of Object.entries(times)) {
    const sorted = [...list].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    console.log(
      `${name.padEnd(28)} median ${median.toFixed(2)} µs/call (min ${sorted[0].toFixed(2)}, max ${sorted[sorted.length - 1].toFixed(2)})`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
