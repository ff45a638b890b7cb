import type { Projection } from '#projections';

/** Every read model the API runs. */
export const PROJECTIONS: readonly Projection[] = [];
