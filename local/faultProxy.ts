/**
 * A TCP proxy on loopback that can break the path to a dependency on demand, so tests can show what the
 * functions do when it fails: put it between the function processes and an emulator (the local stack does
 * this for Firestore with `firestoreFaultProxy`), then switch its mode.
 *
 * - `pass`: bytes flow both ways (the default).
 * - `grpc-error`: new connections are answered by a stand-in gRPC server (HTTP/2 without TLS) that fails every
 *   call at once with one status, 14 UNAVAILABLE by default, as a Google front end does while a backend is down.
 *   The client's connection stays healthy, so it recovers as soon as the mode is `pass` again. (The Firestore
 *   client retries UNAVAILABLE itself for ~43 s before it gives up; a code it does not retry, such as 7
 *   PERMISSION_DENIED, reaches the caller at once.)
 * - `reset`: every new connection is reset as soon as it is accepted (a dead host). A gRPC client also ends with
 *   UNAVAILABLE, but only after its reconnect backoff has grown: the Firestore client takes ~40 s to give up, and
 *   as long again to reconnect after healing.
 * - `blackhole`: new connections are accepted and their bytes swallowed, nothing answers; a client waits for
 *   its deadline (DEADLINE_EXCEEDED).
 *
 * Switching to any mode cuts every open connection, so the client's next call meets the new mode.
 */

import http2 from 'node:http2';
import net from 'node:net';
import { status } from '@grpc/grpc-js';
import { LOOPBACK } from './ports.js';

export type FaultProxyMode = 'pass' | 'grpc-error' | 'reset' | 'blackhole';

const UNAVAILABLE = status.UNAVAILABLE;

export interface FaultProxy {
  port: number;
  /** `127.0.0.1:PORT`: give this to the client instead of the upstream endpoint. */
  endpoint: string;
  upstream: string;
  mode(): FaultProxyMode;
  /** Switches the mode and cuts every open connection; `grpcCode` is the status `grpc-error` answers with. */
  setMode(mode: FaultProxyMode, grpcCode?: number): void;
  /** Connections accepted so far, and of them how many were reset or swallowed by a fault. */
  stats(): { accepted: number; faulted: number; open: number };
  close(): Promise<void>;
}

export async function startFaultProxy(options: { upstream: string; port?: number }): Promise<FaultProxy> {
  const separator = options.upstream.lastIndexOf(':');
  const upstreamHost = options.upstream.slice(0, separator);
  const upstreamPort = Number(options.upstream.slice(separator + 1));
  let mode: FaultProxyMode = 'pass';
  let grpcCode = UNAVAILABLE;
  let accepted = 0;
  let faulted = 0;
  const clients = new Set<net.Socket>();
  const upstreams = new Set<net.Socket>();

  const track = (socket: net.Socket, set: Set<net.Socket>) => {
    set.add(socket);
    socket.once('close', () => set.delete(socket));
    // A reset or a closed upstream is an expected outcome here, never an uncaught error.
    socket.on('error', () => undefined);
  };

  const unavailable = http2.createServer();
  unavailable.on('stream', (stream) => {
    stream.respond(
      {
        ':status': 200,
        'content-type': 'application/grpc',
        'grpc-status': String(grpcCode),
        'grpc-message': 'injected by the fault proxy',
      },
      { endStream: true },
    );
  });
  unavailable.on('sessionError', () => undefined);

  const server = net.createServer((client) => {
    accepted++;
    track(client, clients);
    if (mode === 'grpc-error') {
      faulted++;
      unavailable.emit('connection', client);
      return;
    }
    if (mode === 'reset') {
      faulted++;
      client.resetAndDestroy();
      return;
    }
    if (mode === 'blackhole') {
      faulted++;
      client.resume();
      return;
    }
    const upstream = net.connect({ host: upstreamHost, port: upstreamPort });
    track(upstream, upstreams);
    client.pipe(upstream);
    upstream.pipe(client);
    const cut = () => {
      if (!client.destroyed) client.resetAndDestroy();
      if (!upstream.destroyed) upstream.destroy();
    };
    client.once('close', cut);
    upstream.once('close', cut);
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => resolve((server.address() as net.AddressInfo).port));
  });

  let closing: Promise<void> | undefined;
  return {
    port,
    endpoint: `${LOOPBACK}:${port}`,
    upstream: options.upstream,
    mode: () => mode,
    setMode(next, code = UNAVAILABLE) {
      mode = next;
      grpcCode = code;
      for (const socket of clients) if (!socket.destroyed) socket.resetAndDestroy();
      for (const socket of upstreams) socket.destroy();
    },
    stats: () => ({ accepted, faulted, open: clients.size }),
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const socket of [...clients, ...upstreams]) socket.destroy();
        unavailable.close();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}
