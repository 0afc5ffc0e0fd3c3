// The Custom API Call: one operation, for the endpoints the other operations do not cover.
export * as call from './call';
