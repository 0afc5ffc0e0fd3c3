// The role operations: one file each, listed here under their operation value.
export * as create from './create';
export * as delete from './delete';
export * as getAll from './getAll';
export * as getApplications from './getApplications';
export * as getMembers from './getMembers';
export * as update from './update';
