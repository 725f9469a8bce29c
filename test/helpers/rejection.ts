import type { ArHttpError } from '../../lib';

/** The rejection of `promise`, which must reject. */
export async function rejection(promise: Promise<unknown>): Promise<ArHttpError> {
  try {
    await promise;
  } catch (error) {
    return error as ArHttpError;
  }
  throw new Error('expected a rejection');
}
