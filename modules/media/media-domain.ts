// A custom domain for the media distribution, built end to end in a Route 53 hosted zone the user
// names: an ACM certificate in us-east-1 (the only region CloudFront takes certificates from),
// validated by DNS records in that zone, and alias A/AAAA records pointing the names at the
// distribution. A domain without a zone or a certificate is refused by config, so a distribution
// never waits on a certificate nobody can validate.
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { TerraformIterator, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { ConstructError } from "../core/construct-error.js";

/** CloudFront reads viewer certificates from ACM in this region only. */
export const CLOUDFRONT_CERTIFICATE_REGION = "us-east-1";
const PROVIDER_ID = "aws_us_east_1";

export interface MediaDomainProps {
  /** Domain names (the first is the certificate's subject, the rest its alternative names). */
  readonly names: readonly string[];
  /** Route 53 hosted zone holding the names: the validation and alias records go there. */
  readonly hostedZoneId: string;
}

export class MediaDomain extends Construct {
  readonly certificate: AcmCertificate;
  /** The certificate's ARN once ACM has issued it: CloudFront is created only then. */
  readonly certificateArn: string;

  constructor(scope: Construct, id: string, private readonly props: MediaDomainProps) {
    super(scope, id);
    if (props.names.length === 0) throw new ConstructError(this, "a custom domain needs at least one name");
    const provider = usEast1Provider(this);
    this.certificate = new AcmCertificate(this, "certificate", {
      provider,
      domainName: props.names[0],
      subjectAlternativeNames: props.names.length > 1 ? props.names.slice(1) : undefined,
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
      // A renamed domain gets its new certificate before CloudFront lets go of the old one.
      lifecycle: { createBeforeDestroy: true },
    });
    const options = TerraformIterator.fromComplexList(this.certificate.domainValidationOptions, "domain_name");
    const records = new Route53Record(this, "validation_record", {
      forEach: options,
      zoneId: props.hostedZoneId,
      name: options.getString("resource_record_name"),
      type: options.getString("resource_record_type"),
      records: [options.getString("resource_record_value")],
      ttl: 300,
      allowOverwrite: true,
    });
    const validation = new AcmCertificateValidation(this, "validation", { provider, certificateArn: this.certificate.arn, dependsOn: [records] });
    this.certificateArn = validation.certificateArn;
  }

  /** Alias records (IPv4 and IPv6) from every name to the distribution. */
  pointAt(distribution: { readonly domainName: string; readonly hostedZoneId: string }): void {
    this.props.names.forEach((name, index) => {
      for (const type of ["A", "AAAA"] as const) {
        new Route53Record(this, `alias_${index}_${type.toLowerCase()}`, {
          zoneId: this.props.hostedZoneId,
          name,
          type,
          alias: { name: distribution.domainName, zoneId: distribution.hostedZoneId, evaluateTargetHealth: false },
        });
      }
    });
  }
}

/** The stack's us-east-1 provider, added once. */
function usEast1Provider(scope: Construct): AwsProvider {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(PROVIDER_ID);
  return existing instanceof AwsProvider ? existing : new AwsProvider(stack, PROVIDER_ID, { alias: "us_east_1", region: CLOUDFRONT_CERTIFICATE_REGION });
}
