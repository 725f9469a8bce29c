import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

// Samples this process's resident set every 2 ms from its own thread, so
// that a synchronous resolve blocking the test's thread is measured too.
const sampler = `
const { readFileSync } = require('node:fs');
const { parentPort } = require('node:worker_threads');
const pageSize = 4096;
const rss = () => Number(readFileSync('/proc/self/statm', 'utf8').split(' ')[1]) * pageSize;
const baseline = rss();
let peak = baseline;
const timer = setInterval(() => { peak = Math.max(peak, rss()); }, 2);
parentPort.on('message', () => {
  clearInterval(timer);
  peak = Math.max(peak, rss());
  parentPort.postMessage(peak - baseline);
  parentPort.close();
});
parentPort.postMessage('ready');
`;

/**
 * Runs `work` and returns its result with how far the process's resident set
 * rose above where it was before, at its highest, in bytes.
 */
export async function withRssPeak<T>(work: () => Promise<T> | T): Promise<{ result: T; peakGrowth: number; elapsedMs: number }> {
  const worker = new Worker(sampler, { eval: true });
  await once(worker, 'message');
  const start = Date.now();
  try {
    const result = await work();
    const elapsedMs = Date.now() - start;
    worker.postMessage('stop');
    const [peakGrowth] = (await once(worker, 'message')) as [number];
    return { result, peakGrowth, elapsedMs };
  } catch (error) {
    await worker.terminate();
    throw error;
  }
}
