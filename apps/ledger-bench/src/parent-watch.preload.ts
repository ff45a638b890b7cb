/**
 * Preloaded (`node --import`) into every server the benchmark starts. The benchmark kills
 * its children when it ends; if it is killed itself (SIGKILL), the IPC channel closes and
 * this stops the server, gracefully, so that no server outlives its benchmark.
 */
if (process.channel) {
  // The channel must not keep the server alive, nor delay its own exit.
  process.channel.unref();
  process.once('disconnect', () => {
    process.kill(process.pid, 'SIGTERM');
    setTimeout(() => process.exit(1), 15_000).unref();
  });
}

export {};
