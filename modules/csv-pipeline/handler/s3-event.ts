// The parts of an S3 event notification the pipeline reads.

/** One record of an S3 event notification, as S3 delivers it to Lambda. */
export interface S3EventRecord {
  readonly eventSource?: string;
  readonly eventName?: string;
  readonly s3: {
    readonly bucket: { readonly name: string };
    readonly object: { readonly key: string; readonly size?: number; readonly eTag?: string; readonly versionId?: string; readonly sequencer?: string };
  };
}

export interface S3Event {
  readonly Records?: readonly S3EventRecord[];
}

/** An object version the event says was created, with its key decoded. */
export interface CreatedObject {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  /** Without quotes, as S3 events carry it. */
  readonly eTag?: string;
  readonly size?: number;
}

/** S3 encodes keys in events like an HTML form: spaces as "+", everything else percent-encoded. */
export function decodeS3Key(encoded: string): string {
  return decodeURIComponent(encoded.replace(/\+/g, " "));
}

/** The ObjectCreated records of an event; other records (deletes, tests) are not loads. */
export function createdObjects(event: S3Event): CreatedObject[] {
  return (event.Records ?? [])
    .filter((record) => record.eventSource === "aws:s3" && (record.eventName ?? "").startsWith("ObjectCreated:"))
    .map((record) => ({
      bucket: record.s3.bucket.name,
      key: decodeS3Key(record.s3.object.key),
      versionId: record.s3.object.versionId || undefined,
      eTag: record.s3.object.eTag?.replace(/"/g, "") || undefined,
      size: record.s3.object.size,
    }));
}
