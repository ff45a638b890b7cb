export * from './event-store.port.js';
export * from './event-store.errors.js';
export * from './sqlite/sqlite-event-store.js';
export * from './esdb/esdb-event-store.js';
export * from './open-event-store.js';
