import { pluginPath } from '../../usd/pluginPath';

export function pluginPathCommand(): number {
  process.stdout.write(`${pluginPath()}\n`);
  return 0;
}
