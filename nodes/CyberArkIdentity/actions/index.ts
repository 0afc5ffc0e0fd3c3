// The node's resources, each a folder with one file per operation.
export * as role from './role';
export * as token from './token';
export * as user from './user';
