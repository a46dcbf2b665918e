// A custom domain is built end to end in the given zone, or refused; and a stack with one still
// plans offline (its us-east-1 provider gets the offline settings too).
import { describe, expect, it } from "vitest";
import { MediaStorage, MediaStorageProps } from "../../modules/media/media-storage.js";
import { onlyResource, resourcesOf, synthConstruct } from "../helpers/synth.js";

const ZONE = "Z0123456789ABCDEFGHIJ";
const synthMedia = (props: Omit<MediaStorageProps, "namePrefix">) => synthConstruct((scope) => new MediaStorage(scope, "media", { namePrefix: "blog-prod", ...props }));

describe("MediaDomain", () => {
  it("creates the certificate in us-east-1, validates it by DNS in the zone and points the names at the distribution", () => {
    const json = synthMedia({ aliases: ["img.corp.test", "media.corp.test"], hostedZoneId: ZONE });
    expect(json.provider?.aws).toEqual(expect.arrayContaining([expect.objectContaining({ alias: "us_east_1", region: "us-east-1" })]));
    expect(onlyResource(json, "aws_acm_certificate")).toMatchObject({ provider: "aws.us_east_1", domain_name: "img.corp.test", subject_alternative_names: ["media.corp.test"], validation_method: "DNS" });
    const records = resourcesOf(json, "aws_route53_record");
    expect(records.media_domain_validation_record).toMatchObject({ zone_id: ZONE, allow_overwrite: true });
    expect(String(records.media_domain_validation_record.for_each)).toContain("domain_validation_options");
    expect(onlyResource(json, "aws_acm_certificate_validation")).toMatchObject({ provider: "aws.us_east_1" });
    expect(onlyResource(json, "aws_cloudfront_distribution")).toMatchObject({
      aliases: ["img.corp.test", "media.corp.test"],
      viewer_certificate: { acm_certificate_arn: "${aws_acm_certificate_validation.media_domain_validation.certificate_arn}", minimum_protocol_version: "TLSv1.2_2021" },
    });
    for (const [index, name] of ["img.corp.test", "media.corp.test"].entries()) {
      for (const type of ["a", "aaaa"]) {
        expect(records[`media_domain_alias_${index}_${type}`]).toMatchObject({
          zone_id: ZONE,
          name,
          alias: { name: "${aws_cloudfront_distribution.media_cdn_distribution.domain_name}", zone_id: "${aws_cloudfront_distribution.media_cdn_distribution.hosted_zone_id}" },
        });
      }
    }
  });

  it("uses a given certificate as it is and creates none", () => {
    const json = synthMedia({ aliases: ["img.corp.test"], certificateArn: "arn:aws:acm:us-east-1:111122223333:certificate/abc" });
    expect(resourcesOf(json, "aws_acm_certificate")).toEqual({});
  });

  it("refuses domain names with neither a hosted zone nor a certificate", () => {
    expect(() => synthMedia({ aliases: ["img.corp.test"] })).toThrow(/custom domain names img\.corp\.test need a certificate: give the Route 53 hosted zone/);
  });
});
