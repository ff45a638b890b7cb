// The providers' documented examples (../shared/seeds), for tests across the project.
export * from '../../webhook-intake/src/providers/cope/cope.fixtures.js';
export * from '../../webhook-intake/src/providers/ingresse/ingresse.fixtures.js';
export * from '../../webhook-intake/src/providers/ltd/ltd.fixtures.js';
