// The role operations: one file each, listed here under their operation value.
export * as getAll from './getAll';
export * as getMembers from './getMembers';
