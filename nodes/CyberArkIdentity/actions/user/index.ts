// The user operations: one file each, listed here under their operation value.
export * as addToRole from './addToRole';
export * as create from './create';
export * as delete from './delete';
export * as disable from './disable';
export * as enable from './enable';
export * as get from './get';
export * as getAll from './getAll';
export * as lock from './lock';
export * as removeFromRole from './removeFromRole';
export * as resetPassword from './resetPassword';
export * as signOut from './signOut';
export * as unlock from './unlock';
export * as update from './update';
export * as upsert from './upsert';
