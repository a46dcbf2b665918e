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
  /** Orders the events of one key: uppercase hex, compared after right-padding with zeros. */
  readonly sequencer?: string;
}

/** A created-object record that cannot be read (its key is not valid percent-encoding): it fails alone. */
export interface UnreadableRecord extends Omit<CreatedObject, "key"> {
  /** The key as the event carries it, still encoded. */
  readonly rawKey: string;
  readonly problem: string;
}

/** S3 encodes keys in events like an HTML form: spaces as "+", everything else percent-encoded. */
export function decodeS3Key(encoded: string): string {
  return decodeURIComponent(encoded.replace(/\+/g, " "));
}

/** The sequencer in the form the ledger compares, or undefined when the event has none (a hand-made event). */
export function normalizeSequencer(sequencer: string | undefined): string | undefined {
  return sequencer && /^[0-9a-f]+$/i.test(sequencer) ? sequencer.toUpperCase() : undefined;
}

/** The ObjectCreated records of an event, each on its own; other records (deletes, tests) are not loads. */
export function createdObjects(event: S3Event): (CreatedObject | UnreadableRecord)[] {
  return (event.Records ?? [])
    .filter((record) => record?.eventSource === "aws:s3" && (record.eventName ?? "").startsWith("ObjectCreated:"))
    .map((record) => {
      const object = record.s3?.object;
      const version = {
        bucket: String(record.s3?.bucket?.name ?? ""),
        versionId: object?.versionId || undefined,
        eTag: object?.eTag?.replace(/"/g, "") || undefined,
        size: object?.size,
        sequencer: normalizeSequencer(object?.sequencer),
      };
      const rawKey = typeof object?.key === "string" ? object.key : "";
      try {
        if (!version.bucket || !rawKey) throw new Error("the record names no bucket or key");
        return { ...version, key: decodeS3Key(rawKey) };
      } catch (error) {
        return { ...version, rawKey, problem: `the event's object key ${JSON.stringify(rawKey)} cannot be decoded: ${(error as Error).message}` };
      }
    });
}

export function isUnreadable(object: CreatedObject | UnreadableRecord): object is UnreadableRecord {
  return "problem" in object;
}
