// A worker thread of the GPU engine's host solver (hostSolver.ts): solves the layers it is sent.
/// <reference lib="webworker" />
import { solveLayer, type SolverReply, type SolverRequest } from './hostSolver';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (e: MessageEvent<SolverRequest>) => {
  const { id, jobs } = e.data;
  let reply: SolverReply;
  try {
    reply = { id, solved: jobs.map(solveLayer) };
  } catch (err) {
    reply = { id, error: err instanceof Error ? err.message : String(err) };
  }
  self.postMessage(reply);
};
