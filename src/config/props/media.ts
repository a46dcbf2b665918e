// The validated `media` section → the stack's MediaProps. Protection decides versioning's default,
// prevent_destroy, and whether force_destroy may apply.
import type { MediaProps } from "../../../stacks/environment-stack.js";
import type { EnvironmentConfig } from "../schema.js";

export function mediaProps(config: EnvironmentConfig, isProtected: boolean): MediaProps | undefined {
  const media = config.media;
  if (!media.enabled) return undefined;
  return {
    bucketName: media.bucket_name,
    prefix: media.prefix,
    kmsKeyArn: media.kms_key_arn,
    versioned: media.versioning ?? isProtected,
    noncurrentVersionDays: media.noncurrent_version_days,
    // The media checks refuse force_destroy in a protected environment; never pass it there.
    forceDestroy: media.force_destroy && !isProtected,
    protect: isProtected,
    priceClass: media.price_class,
    aliases: media.aliases,
    certificateArn: media.certificate_arn,
    webAclArn: media.web_acl_arn,
    corsAllowedOrigins: media.cors_allowed_origins,
    accessLogs: media.logging.enabled
      ? { bucketName: media.logging.bucket, prefix: media.logging.prefix, expirationDays: media.logging.expiration_days }
      : undefined,
    parameterNames: { bucketName: media.parameter_names.bucket_name, domain: media.parameter_names.cloudfront_domain },
  };
}
