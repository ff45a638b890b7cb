export * from './attendance.projection.js';
export * from './attendance.queries.js';
