import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Firestore } from '@google-cloud/firestore';
import type { PubSub } from '@google-cloud/pubsub';
import {
  firestoreEmulatorSettings,
  MissingToolError,
  type RunningProcess,
  startFirestoreEmulator,
  startPubSubEmulator,
} from '../../local/emulators.js';
import { jsonLogs, startFunctionsFramework, waitForLog } from '../../local/functionsFramework.js';
import { httpGet } from '../../local/ports.js';
import {
  createPullSubscription,
  createPushSubscription,
  ensureTopic,
  pubsubClient,
  pushEndpointFor,
} from '../../local/pubsubSetup.js';

const PROJECT = 'liftwatch-local-test';
const here = path.dirname(fileURLToPath(import.meta.url));
const echoFixture = path.join(here, 'fixtures', 'echoFunction.js');

/** Processes (gcloud wrapper or java) whose command line carries this emulator port. */
function processesOnPort(port: number): string[] {
  const res = spawnSync('pgrep', ['-fa', `(--port=|--host-port=127\\.0\\.0\\.1:)${port}( |$)`], {
    encoding: 'utf8',
  });
  return res.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await fn();
  console.log(`${label} ready in ${Math.round(performance.now() - t0)} ms`);
  return result;
}

describe('local harness (real emulators)', () => {
  let pubsubEmulator: RunningProcess | undefined;
  let firestoreEmulator: RunningProcess | undefined;
  const clients: PubSub[] = [];

  before(async () => {
    // Start both in parallel; never leak one if the other fails.
    const [ps, fs] = await Promise.allSettled([
      timed('Pub/Sub emulator', () => startPubSubEmulator({ projectId: PROJECT })),
      timed('Firestore emulator', () => startFirestoreEmulator({ projectId: PROJECT })),
    ]);
    if (ps.status === 'fulfilled') pubsubEmulator = ps.value;
    if (fs.status === 'fulfilled') firestoreEmulator = fs.value;
    if (ps.status === 'rejected') throw ps.reason;
    if (fs.status === 'rejected') throw fs.reason;
  });

  after(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await Promise.allSettled([pubsubEmulator?.stop(), firestoreEmulator?.stop()]);
  });

  it('runs the Pub/Sub emulator on a free loopback port, answering REST', async () => {
    const emu = pubsubEmulator!;
    assert.equal(emu.host, '127.0.0.1');
    assert.equal(emu.endpoint, `127.0.0.1:${emu.port}`);
    assert.notEqual(emu.port, 8085);
    const res = await httpGet(`http://${emu.endpoint}/v1/projects/${PROJECT}/topics`);
    assert.equal(res.status, 200);
    const procs = processesOnPort(emu.port);
    assert.ok(
      procs.some((p) => p.includes('java')),
      `expected a java process for port ${emu.port}: ${procs.join('\n')}`,
    );
  });

  it('runs the Firestore emulator: write and read a document without touching process.env', async () => {
    const emu = firestoreEmulator!;
    assert.notEqual(emu.port, pubsubEmulator!.port);
    const envBefore = process.env.FIRESTORE_EMULATOR_HOST;
    const db = new Firestore(firestoreEmulatorSettings(emu.endpoint, PROJECT));
    try {
      const ref = db.collection('harness').doc('doc-1');
      await ref.set({ model: 'lift-v1', count: 3, nested: { ok: true } });
      const snap = await ref.get();
      assert.equal(snap.exists, true);
      assert.deepEqual(snap.data(), { model: 'lift-v1', count: 3, nested: { ok: true } });
    } finally {
      await db.terminate();
    }
    assert.equal(process.env.FIRESTORE_EMULATOR_HOST, envBefore);
  });

  it('delivers a message published through the emulator to a Functions Framework function via push', async (t) => {
    const emu = pubsubEmulator!;
    const pubsub = pubsubClient(emu.endpoint, PROJECT);
    clients.push(pubsub);
    const ff = await timed('Functions Framework', () =>
      startFunctionsFramework({
        target: 'echo',
        source: echoFixture,
        signatureType: 'cloudevent',
        env: { ECHO_TAG: 'from-harness' },
      }),
    );
    t.after(() => ff.stop());

    const topic = await ensureTopic(pubsub, 'harness-events');
    // Idempotent.
    assert.equal((await ensureTopic(pubsub, 'harness-events')).name, topic.name);
    const sub = await createPushSubscription(pubsub, {
      topic: 'harness-events',
      name: 'harness-events-push',
      pushEndpoint: `http://${ff.endpoint}`,
      ackDeadlineSeconds: 10,
      retryPolicy: { minimumBackoffSeconds: 1, maximumBackoffSeconds: 5 },
    });
    const [metadata] = await sub.getMetadata();
    assert.equal(
      metadata.pushConfig?.pushEndpoint,
      `http://${ff.endpoint}/projects/${PROJECT}/topics/harness-events`,
    );

    const messageId = await topic.publishMessage({
      json: { model: 'lift-v1', predicted: 0.12 },
      attributes: { kind: 'prediction' },
    });

    await waitForLog(ff, (line) => line.includes('"message":"echo"'), 15_000);
    const echo = jsonLogs(ff.logs()).find((l) => l.message === 'echo');
    assert.ok(echo);
    assert.equal(echo.source, `//pubsub.googleapis.com/projects/${PROJECT}/topics/harness-events`);
    assert.equal(echo.type, 'google.cloud.pubsub.topic.v1.messagePublished');
    assert.equal(echo.id, messageId);
    assert.deepEqual(echo.data, { model: 'lift-v1', predicted: 0.12 });
    assert.deepEqual(echo.attributes, { kind: 'prediction' });
    assert.equal(echo.tag, 'from-harness');

    await ff.stop();
    assert.equal(await acceptsConnections(ff.port), false);
  });

  it('pulls from a pull subscription', async () => {
    const pubsub = pubsubClient(pubsubEmulator!.endpoint, PROJECT);
    clients.push(pubsub);
    const topic = await ensureTopic(pubsub, `projects/${PROJECT}/topics/harness-pull`);
    const sub = await createPullSubscription(pubsub, { topic: 'harness-pull', name: 'harness-pull-sub' });
    await topic.publishMessage({ data: Buffer.from('hello') });
    const received = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no message pulled within 10 s')), 10_000);
      sub.once('message', (msg) => {
        clearTimeout(timer);
        msg.ack();
        resolve(msg.data.toString('utf8'));
      });
      sub.once('error', reject);
    });
    await sub.close();
    assert.equal(received, 'hello');
  });

  it('stops both emulators leaving no gcloud/java process behind', async () => {
    const ports = [pubsubEmulator!.port, firestoreEmulator!.port];
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all([pubsubEmulator!.stop(), firestoreEmulator!.stop()]);
    await pubsubEmulator!.stop(); // idempotent
    for (const port of ports) {
      assert.deepEqual(processesOnPort(port), [], `processes left for port ${port}`);
      assert.equal(await acceptsConnections(port), false, `port ${port} still accepts connections`);
    }
  });
});

describe('local harness (failure modes, no emulator needed)', () => {
  it('fails fast with the function output when the target does not exist', async () => {
    const t0 = Date.now();
    await assert.rejects(
      startFunctionsFramework({ target: 'doesNotExist', source: echoFixture }),
      (err: Error) => {
        assert.match(err.message, /exited before it became ready/);
        assert.match(err.message, /doesNotExist/);
        return true;
      },
    );
    assert.ok(Date.now() - t0 < 15_000);
  });

  it('throws MissingToolError naming the Debian packages when gcloud is not on PATH', async () => {
    const savedPath = process.env.PATH;
    let pending: Promise<RunningProcess>;
    process.env.PATH = '/nonexistent';
    try {
      pending = startPubSubEmulator({ projectId: PROJECT }); // the tool check runs synchronously
    } finally {
      process.env.PATH = savedPath;
    }
    await assert.rejects(pending, (err: Error) => {
      assert.ok(err instanceof MissingToolError);
      assert.match(err.message, /google-cloud-cli-pubsub-emulator/);
      return true;
    });
  });

  it('appends /projects/P/topics/T to push endpoints', () => {
    assert.equal(
      pushEndpointFor('http://127.0.0.1:9000', 'p1', 't1'),
      'http://127.0.0.1:9000/projects/p1/topics/t1',
    );
    assert.equal(
      pushEndpointFor('http://127.0.0.1:9000/base/', 'p1', 'projects/p1/topics/t1'),
      'http://127.0.0.1:9000/base/projects/p1/topics/t1',
    );
    assert.equal(
      pushEndpointFor('http://127.0.0.1:9000/projects/p1/topics/t1', 'p1', 't1'),
      'http://127.0.0.1:9000/projects/p1/topics/t1',
    );
  });
});
