export * from './projections.catalogue.js';
export * from './read-models.js';
export * from './worker-projection-host.js';
