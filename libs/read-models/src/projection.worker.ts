import { parentPort, workerData } from 'node:worker_threads';
import { openEventStore, SqliteEventStore } from '#event-store';
import { PROJECTIONS } from './projections.catalogue.js';
import type {
  FromProjectionWorker,
  ProjectionWorkerData,
  ToProjectionWorker,
} from './projection-worker.protocol.js';
import { ReadModels } from './read-models.js';

/**
 * The projection runner in a worker thread of the API process: it follows the log and
 * writes the read models on the second core, so that applying events never holds up
 * the HTTP event loop. It has its own connections to the store and the read-model
 * database; the main thread reads the same files.
 */
const port = parentPort;
if (!port) throw new Error('projection.worker must run in a worker thread');
const data = workerData as ProjectionWorkerData;
const send = (message: FromProjectionWorker) => {
  port.postMessage(message);
};

const store = openEventStore(data);
const readModels = ReadModels.open({
  dataDir: data.dataDir,
  store,
  projections: PROJECTIONS,
  onProgress: () => {
    send({ type: 'progress' });
  },
  onFailure: (name, _build, error) => {
    send({
      type: 'failure',
      projection: name,
      message: error instanceof Error ? error.message : String(error),
    });
  },
});

port.on('message', (message: ToProjectionWorker) => {
  switch (message.type) {
    case 'appended':
      if (store instanceof SqliteEventStore) store.noticeExternalAppend();
      break;
    case 'sync':
      readModels.refresh();
      break;
    case 'stop':
      void readModels
        .close()
        .then(() => store.close())
        .then(() => {
          send({ type: 'stopped' });
        });
      break;
  }
});

await readModels.runner.start();
send({ type: 'started' });
