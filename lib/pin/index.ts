export { pin, type PinOptions, type PinProblem, type PinResult } from './pin';
export { type PinFile, pinFileText, sortedPins } from './pinFile';
export type { PinCounts } from './progress';
