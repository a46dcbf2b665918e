// A real, throw-away S3-compatible server (s3rver) for runtime tests, and S3 events shaped as S3 sends them.
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createReadStream, mkdtempSync, rmSync, statSync } from "node:fs";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error s3rver ships no type declarations
import S3rver from "s3rver";

export interface S3Server {
  readonly endpoint: string;
  /** A client for this server: path-style, S3RVER credentials, checksums only when an operation requires them. */
  readonly client: S3Client;
  /** Environment variables that point an AWS SDK in another process at this server. */
  readonly env: Record<string, string>;
  /** Drops every open connection (an S3 failure in the middle of a download), leaving the server up. */
  dropConnections(): void;
  stop(): Promise<void>;
}

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer: Server;
}

export function s3ClientFor(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    // Otherwise streamed uploads are stored with aws-chunked framing inside the object.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

/** Starts s3rver on 127.0.0.1 and a free port, storing objects in a temp dir, with `buckets` created. */
export async function startS3Server(buckets: readonly string[]): Promise<S3Server> {
  const directory = mkdtempSync(join(tmpdir(), "lz-s3-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    directory,
    silent: true,
    configureBuckets: buckets.map((name) => ({ name })),
  }) as S3rverInstance;
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = s3ClientFor(endpoint);
  let stopped = false;
  return {
    endpoint,
    client,
    env: {
      AWS_ENDPOINT_URL_S3: endpoint,
      S3_FORCE_PATH_STYLE: "true",
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
      AWS_REQUEST_CHECKSUM_CALCULATION: "WHEN_REQUIRED",
      AWS_RESPONSE_CHECKSUM_VALIDATION: "WHEN_REQUIRED",
    },
    dropConnections() {
      server.httpServer.closeAllConnections();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      client.destroy();
      server.httpServer.closeAllConnections();
      try {
        await server.close();
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    },
  };
}

/** Encodes a key the way S3 does in event notifications: form encoding, "+" for a space, "/" kept. */
export function encodeS3EventKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+")
    .replace(/%2F/g, "/");
}

export interface S3EventOptions {
  readonly size?: number;
  /** Without quotes, as S3 events carry it. */
  readonly eTag?: string;
  readonly versionId?: string;
  /** @default "ObjectCreated:Put" */
  readonly eventName?: string;
  /** @default the next of a strictly increasing series, 18 hex digits like S3's */
  readonly sequencer?: string;
}

let lastSequencer = 0n;

/** A sequencer later than every one made before in this process, as S3's are for one key. */
export function nextSequencer(): string {
  lastSequencer = lastSequencer >= BigInt(Date.now()) << 16n ? lastSequencer + 1n : BigInt(Date.now()) << 16n;
  return lastSequencer.toString(16).toUpperCase().padStart(18, "0");
}

/** An S3 event notification with one record, as S3 delivers it to Lambda. */
export function s3Event(bucket: string, key: string, options: S3EventOptions = {}) {
  return {
    Records: [
      {
        eventVersion: "2.1",
        eventSource: "aws:s3",
        awsRegion: "us-east-1",
        eventTime: new Date().toISOString(),
        eventName: options.eventName ?? "ObjectCreated:Put",
        s3: {
          s3SchemaVersion: "1.0",
          configurationId: "csv-pipeline",
          bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
          object: {
            key: encodeS3EventKey(key),
            size: options.size ?? 0,
            ...(options.eTag ? { eTag: options.eTag } : {}),
            ...(options.versionId ? { versionId: options.versionId } : {}),
            sequencer: options.sequencer ?? nextSequencer(),
          },
        },
      },
    ],
  };
}

/**
 * Uploads `body` (a string, bytes, or a file path for large objects) and returns the event S3 would
 * send. `contentEncoding` is stored with the object; `event` overrides what the event says (s3rver
 * has no versioning: version ids and sequencers are driven through the event, as S3 delivers them).
 */
export async function putObjectAndEvent(
  client: S3Client,
  bucket: string,
  key: string,
  body: string | Uint8Array | { readonly file: string },
  options: { readonly contentEncoding?: string; readonly event?: S3EventOptions } = {},
) {
  const upload =
    typeof body === "object" && "file" in body ? { Body: createReadStream(body.file), ContentLength: statSync(body.file).size } : { Body: body, ContentLength: Buffer.byteLength(body) };
  const response = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, ContentEncoding: options.contentEncoding, ...upload }));
  return s3Event(bucket, key, { size: upload.ContentLength, eTag: response.ETag?.replace(/"/g, ""), versionId: response.VersionId, ...options.event });
}
