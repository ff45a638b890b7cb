export * from './projections.catalogue.js';
export * from './read-models.js';
