export const READ_MODELS = Symbol('ReadModels');

/** Where the projections run: the compiled worker entry, or `false` for this thread. */
export const PROJECTION_WORKER = Symbol('ProjectionWorker');
export type ProjectionWorkerSetting = string | URL | false;
