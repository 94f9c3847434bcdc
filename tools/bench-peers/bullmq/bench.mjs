// BullMQ peer for Mrq's throughput runner, run in its own node process by the runner (Mrq.Benchmarks/Peers/BullMqRunner.cs).
// Mirrors Mrq's dequeue workload: N no-op jobs enqueued in batches of 1000 (timed: enqueue-batched), then a Worker with
// concurrency W timed from its construction until N jobs completed (timed: dequeue); e2e = N over both. A warm-up run
// of N/10 jobs comes first in the same process (not reported). Options:
//   --redis redis://127.0.0.1:PORT  --n N  --w W  --remove-on-complete 0|1  [--single N]
// --remove-on-complete 1 deletes each job when it completes (compared with Mrq's no-record raw path); 0 keeps BullMQ's
// defaults: every completed job stays in Redis as a hash plus a sorted-set member (compared with Mrq's stored path).
// --single N also times N one-at-a-time `queue.add` calls from one async loop (enqueue-single).
// Prints one JSON object per measurement on stdout, one per line after 'MEASUREMENT ', and last this process's total
// CPU seconds (metric 'process-cpu') so the runner can tell its CPU from other processes'; anything else goes to stderr.
import { Queue, Worker } from 'bullmq';

function parseArgs(argv) {
  const options = { redis: 'redis://127.0.0.1:6379', n: 10000, w: 8, removeOnComplete: false, single: 0 };
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${name}: a value is missing`);
    switch (name) {
      case '--redis': options.redis = value; break;
      case '--n': options.n = positive(name, value); break;
      case '--w': options.w = positive(name, value); break;
      case '--single': options.single = Number.parseInt(value, 10); break;
      case '--remove-on-complete': options.removeOnComplete = value === '1' || value === 'true'; break;
      default: throw new Error(`unknown option ${name}`);
    }
  }
  return options;
}

function positive(name, value) {
  const parsed = Number.parseInt(value, 10);
  if (!(parsed > 0)) throw new Error(`${name}: expected a positive integer, got '${value}'`);
  return parsed;
}

function connectionOf(url) {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || 6379), maxRetriesPerRequest: null };
}

// Samples RSS every 20 ms while a section runs, and measures this process's CPU over it.
function startSection() {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage.rss()); }, 20);
  return () => {
    clearInterval(sampler);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = process.cpuUsage(cpuStart);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    return { seconds, cpuSelfPercent: (100 * (cpu.user + cpu.system) / 1e6) / seconds, peakRss };
  };
}

async function enqueueBatched(queue, n, jobOptions) {
  for (let done = 0; done < n; done += 1000) {
    const count = Math.min(1000, n - done);
    const batch = new Array(count);
    for (let i = 0; i < count; i++) batch[i] = { name: 'noop', data: { i: done + i }, opts: jobOptions };
    await queue.addBulk(batch);
  }
}

// Runs a worker until n jobs completed; returns the section's figures and the first job's start (ms after construction).
async function process_(queueName, connection, n, w) {
  let completed = 0;
  let firstJobMs = null;
  let resolveDone;
  const done = new Promise(resolve => { resolveDone = resolve; });
  const stop = startSection();
  const startedAt = process.hrtime.bigint();
  const worker = new Worker(queueName, async () => {
    if (firstJobMs === null) firstJobMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
  }, { connection, concurrency: w });
  worker.on('completed', () => { if (++completed === n) resolveDone(); });
  worker.on('failed', (job, error) => { console.error(`job ${job?.id} failed: ${error}`); });
  worker.on('error', error => { console.error(`worker error: ${error}`); });
  await done;
  const figures = stop();
  await worker.close();
  return { ...figures, firstJobMs };
}

async function run(options, n, report) {
  const connection = connectionOf(options.redis);
  const queueName = `mrqbench-${process.pid}-${n}`;
  const queue = new Queue(queueName, { connection });
  const jobOptions = options.removeOnComplete ? { removeOnComplete: true } : {};
  try {
    const stopEnqueue = startSection();
    await enqueueBatched(queue, n, jobOptions);
    const enqueue = stopEnqueue();
    const waiting = await queue.getWaitingCount();
    if (waiting !== n) throw new Error(`expected ${n} waiting jobs after enqueue, found ${waiting}`);
    const dequeue = await process_(queueName, connection, n, options.w);
    const counts = await queue.getJobCounts('completed', 'failed', 'waiting', 'active');
    const expectedCompleted = options.removeOnComplete ? 0 : n;
    const note = counts.completed === expectedCompleted && counts.failed === 0 && counts.waiting === 0 && counts.active === 0
      ? '' : `UNEXPECTED COUNTS: ${JSON.stringify(counts)}`;
    report({ metric: 'enqueue-batched', n, w: options.w, value: n / enqueue.seconds, seconds: enqueue.seconds, cpuSelfPercent: enqueue.cpuSelfPercent, peakRss: enqueue.peakRss, note: '' });
    report({ metric: 'dequeue', n, w: options.w, value: n / dequeue.seconds, seconds: dequeue.seconds, cpuSelfPercent: dequeue.cpuSelfPercent, peakRss: dequeue.peakRss, firstJobMs: dequeue.firstJobMs, note });
    const whole = enqueue.seconds + dequeue.seconds;
    report({ metric: 'e2e', n, w: options.w, value: n / whole, seconds: whole, cpuSelfPercent: (enqueue.cpuSelfPercent * enqueue.seconds + dequeue.cpuSelfPercent * dequeue.seconds) / whole, peakRss: Math.max(enqueue.peakRss, dequeue.peakRss), note });
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

async function enqueueSingle(options, report) {
  const connection = connectionOf(options.redis);
  const queue = new Queue(`mrqbench-single-${process.pid}`, { connection });
  const jobOptions = options.removeOnComplete ? { removeOnComplete: true } : {};
  try {
    const stop = startSection();
    for (let i = 0; i < options.single; i++) await queue.add('noop', { i }, jobOptions);
    const figures = stop();
    report({ metric: 'enqueue-single', n: options.single, w: 1, value: options.single / figures.seconds, seconds: figures.seconds, cpuSelfPercent: figures.cpuSelfPercent, peakRss: figures.peakRss, note: '' });
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  await run(options, Math.max(100, Math.floor(options.n / 10)), () => {});
  const print = measurement => process.stdout.write('MEASUREMENT ' + JSON.stringify(measurement) + '\n');
  await run(options, options.n, print);
  if (options.single > 0) await enqueueSingle(options, print);
  const cpu = process.cpuUsage();
  print({ metric: 'process-cpu', n: 0, w: options.w, value: (cpu.user + cpu.system) / 1e6, seconds: process.uptime(), note: `node ${process.version}` });
}

main().then(() => process.exit(0), error => {
  console.error(`bullmq bench: ${error?.message ?? error}`);
  process.exit(1);
});
