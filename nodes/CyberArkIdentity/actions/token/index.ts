// The token operations: one file each, listed here under their operation value.
export * as get from './get';
