export * from './ticket-code.fold.js';
export * from './ticket-facts.store.js';
export * from './tickets.projection.js';
export * from './tickets.queries.js';
