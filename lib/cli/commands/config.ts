import { config } from '../../resolve/config';

export function configCommand(): number {
  process.stdout.write(`${JSON.stringify(config(), null, 2)}\n`);
  return 0;
}
