// Marks an object whose outcome is final, so a person browsing the bucket can tell.
import { CopyObjectCommand, DeleteObjectCommand, GetObjectTaggingCommand, PutObjectTaggingCommand, type S3Client } from "@aws-sdk/client-s3";
import type { PostLoadAction } from "./config.js";
import type { CreatedObject } from "./s3-event.js";

export const STATUS_TAG = "csv-pipeline-status";
/** Where POST_LOAD_ACTION=move puts objects; the handler ignores events for keys under them. */
export const MOVED_PREFIXES = { loaded: "processed/", failed: "failed/" } as const;

export type FinalOutcome = keyof typeof MOVED_PREFIXES;

export function isMovedObjectKey(key: string): boolean {
  return Object.values(MOVED_PREFIXES).some((prefix) => key.startsWith(prefix));
}

export async function applyPostLoadAction(s3: S3Client, action: PostLoadAction, object: CreatedObject, outcome: FinalOutcome): Promise<void> {
  const target = { Bucket: object.bucket, Key: object.key, VersionId: object.versionId };
  if (action === "tag") {
    // PutObjectTagging replaces the whole set: keep the tags the object already has.
    const current = await s3.send(new GetObjectTaggingCommand(target));
    const others = (current.TagSet ?? []).filter((tag) => tag.Key !== STATUS_TAG);
    await s3.send(new PutObjectTaggingCommand({ ...target, Tagging: { TagSet: [...others, { Key: STATUS_TAG, Value: outcome }] } }));
    return;
  }
  const copySource = `${object.bucket}/${encodeURIComponent(object.key).replace(/%2F/g, "/")}${object.versionId ? `?versionId=${encodeURIComponent(object.versionId)}` : ""}`;
  await s3.send(new CopyObjectCommand({ Bucket: object.bucket, Key: `${MOVED_PREFIXES[outcome]}${object.key}`, CopySource: copySource }));
  // Without a version id: in a versioned bucket this adds a delete marker and keeps the loaded version.
  await s3.send(new DeleteObjectCommand({ Bucket: object.bucket, Key: object.key }));
}
