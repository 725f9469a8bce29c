// Benchmarks 1 and 2 in a process of their own; prints their rows as JSON.
import { nodeBenchmarks } from './nodeResolve';

nodeBenchmarks().then(
  (rows) => process.stdout.write(JSON.stringify(rows)),
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
