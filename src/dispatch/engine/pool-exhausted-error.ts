/** Refused before sending: the pool's sockets are busy and its wait queue is full. */
export class PoolExhaustedError extends Error {
  readonly code = 'POOL_EXHAUSTED';

  constructor(connections: number, maxQueued: number) {
    super(
      `all ${connections} connections of the pool are busy and ${maxQueued} requests already wait; raise poolSize or slow down`,
    );
    this.name = 'PoolExhaustedError';
  }
}
