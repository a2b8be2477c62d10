/**
 * The real Azure Storage emulator (azurite, blob service only) as a child process on 127.0.0.1, with
 * a random port, a temporary workspace and telemetry off. Signed (SAS) URLs for its well-known
 * development account `devstoreaccount1` come from @azure/storage-blob's own SAS helpers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  BlobSASPermissions,
  BlobServiceClient,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
  type ContainerClient,
} from '@azure/storage-blob';

/** Azurite's published development account (the same for every azurite installation). */
export const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  /** `http://127.0.0.1:<port>/devstoreaccount1` */
  readonly accountUrl: string;
  readonly pid: number;
  container(name: string): Promise<ContainerClient>;
  /** A blob URL signed for `permissions` (e.g. "r", "cw"), valid `seconds` from now. */
  signedUrl(container: string, blob: string, permissions: string, seconds: number, extra?: { contentDisposition?: string }): string;
  stop(): Promise<void>;
}

export async function startAzurite(options: { startTimeoutMs?: number } = {}): Promise<Azurite> {
  const pkg = createRequire(import.meta.url).resolve('azurite/package.json');
  const main = join(dirname(pkg), 'dist', 'src', 'blob', 'main.js');
  const location = await mkdtemp(join(tmpdir(), 'mycelium-azurite-'));
  const env = { ...process.env };
  delete env.AZURITE_ACCOUNTS; // only the well-known development account
  const child: ChildProcess = spawn(
    process.execPath,
    [main, '--blobHost', '127.0.0.1', '--blobPort', '0', '--location', location, '--skipApiVersionCheck', '--loose', '--silent', '--disableTelemetry'],
    { stdio: ['ignore', 'pipe', 'pipe'], env },
  );
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`azurite did not start within ${options.startTimeoutMs ?? 30000} ms: ${output}`)), options.startTimeoutMs ?? 30000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const m = /successfully listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`azurite exited (${code}) before listening: ${output}`));
      });
    });
  } catch (err) {
    child.kill('SIGKILL');
    await rm(location, { recursive: true, force: true });
    throw err;
  }

  const accountUrl = `http://127.0.0.1:${port}/${DEV_ACCOUNT}`;
  const credential = new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY);
  const service = new BlobServiceClient(accountUrl, credential);
  const containers = new Map<string, Promise<ContainerClient>>();
  let stopped = false;

  return {
    accountUrl,
    pid: child.pid!,
    container(name) {
      let c = containers.get(name);
      if (!c) {
        const client = service.getContainerClient(name);
        c = client.createIfNotExists().then(() => client);
        containers.set(name, c);
      }
      return c;
    },
    signedUrl(container, blob, permissions, seconds, extra = {}) {
      const sas = generateBlobSASQueryParameters(
        {
          containerName: container,
          blobName: blob,
          permissions: BlobSASPermissions.parse(permissions),
          startsOn: new Date(Date.now() - 60_000),
          expiresOn: new Date(Date.now() + seconds * 1000),
          ...(extra.contentDisposition ? { contentDisposition: extra.contentDisposition } : {}),
        },
        credential,
      ).toString();
      return `${accountUrl}/${container}/${blob.split('/').map(encodeURIComponent).join('/')}?${sas}`;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      child.stdout?.destroy();
      child.stderr?.destroy();
      await rm(location, { recursive: true, force: true });
    },
  };
}
