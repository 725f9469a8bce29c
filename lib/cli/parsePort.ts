import { ArHttpError, ErrorCodes } from '../errors';

/** A TCP port from the command line; 0 asks the system for a free one. */
export function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    throw new ArHttpError(ErrorCodes.USAGE, `--port "${text}" is not a port (0-65535)`);
  }
  return port;
}
