// One load in its own worker: the worker answers with progress messages and then one 'done'
// (the result) or one 'error'; the worker is terminated when it answers, fails or is cancelled,
// so a newer load or a cancel simply ends the older one. Used by the data loader and the
// recording loader, whose protocols both have this shape.

/** The messages a load worker sends back. */
export type WorkerLoadMessage<Done, Progress, Failure> =
  ({ type: 'progress' } & Progress) | ({ type: 'done' } & Done) | ({ type: 'error' } & Failure);

export interface WorkerLoadHandle<T> {
  result: Promise<T>;
  /** Stop the load (its promise rejects with an AbortError). */
  cancel(): void;
}

export function runWorkerLoad<Done extends object, Progress, Failure>(
  worker: Worker,
  request: unknown,
  on: {
    progress: (msg: Progress) => void;
    error: (msg: Failure) => Error;
    /** The error of a crash of the worker itself (no message of its own), given the browser's detail. */
    crashed: (detail: string) => Error;
  },
): WorkerLoadHandle<Done> {
  let settle: { resolve: (d: Done) => void; reject: (e: Error) => void } | null = null;
  const result = new Promise<Done>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const finish = () => {
    worker.terminate();
    settle = null;
  };
  worker.onmessage = (e: MessageEvent<WorkerLoadMessage<Done, Progress, Failure>>) => {
    const msg = e.data;
    if (msg.type === 'progress') on.progress(msg);
    else if (msg.type === 'error') {
      settle?.reject(on.error(msg));
      finish();
    } else {
      const { type: _type, ...data } = msg;
      settle?.resolve(data as unknown as Done);
      finish();
    }
  };
  worker.onerror = (e) => {
    settle?.reject(on.crashed(e.message || 'out of memory?'));
    finish();
  };
  worker.postMessage(request);
  return {
    result,
    cancel: () => {
      const err = new Error('the load was cancelled');
      err.name = 'AbortError';
      settle?.reject(err);
      finish();
    },
  };
}
