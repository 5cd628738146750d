import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import type { S3Settings } from "~/storage/s3.server.ts";

// A real S3-protocol server (s3rver) on loopback, with its files in a temporary folder: the
// object store the storage tests and the two-apps fault test keep uploads in.

/** s3rver checks signatures against this key pair, as Amazon S3 checks a real one. */
const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export interface S3Server {
  endpoint: string;
  bucket: string;
  /** Settings for s3Storage, as the environment would give them. */
  settings(prefix?: string): S3Settings;
  /** The environment a service process needs to keep its uploads here. */
  env(prefix?: string): Record<string, string>;
  /** The keys in the bucket, to see what the service stored. */
  keys(): Promise<string[]>;
  /** Every key written so far, once per write, in order: a file written twice shows twice. */
  written: string[];
  /** Writes an object behind the service's back, as a damaged or altered store would hold it. */
  putRaw(key: string, bytes: Uint8Array): Promise<void>;
  /** Stops answering: connections are refused from now on. */
  stop(): Promise<void>;
}

export async function startS3(bucket = "springboard-uploads"): Promise<S3Server> {
  const directory = mkdtempSync(path.join(tmpdir(), "springboard-s3-"));
  const server = new S3rver({ port: 0, address: "127.0.0.1", directory, silent: true, configureBuckets: [{ name: bucket, configs: [] }] });
  const written: string[] = [];
  server.on("event", (event) => {
    for (const record of event.Records) if (record.eventName.startsWith("ObjectCreated:")) written.push(record.s3.object.key);
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials });
  let stopped = false;
  return {
    endpoint,
    bucket,
    written,
    settings: (prefix = "") => ({ bucket, prefix, endpoint, forcePathStyle: true, credentials }),
    env: (prefix) => ({
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_FORCE_PATH_STYLE: "true",
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      ...(prefix ? { S3_PREFIX: prefix } : {}),
    }),
    async keys() {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
      return (listed.Contents ?? []).map((object) => object.Key!);
    },
    async putRaw(key, bytes) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      client.destroy();
      // Kept-alive connections from the service's clients would hold the server open.
      const http = (server as unknown as { httpServer: Server }).httpServer;
      http.closeAllConnections();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
