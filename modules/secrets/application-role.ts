// The application's EC2 role and instance profile, for an application that has none yet (a fresh
// account): the landing zone's policies are attached only to roles a plan creates or that exist
// already, never to a name nothing creates (IAM answers NoSuchEntity at apply).
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Construct } from "constructs";
import { serviceTrustPolicy } from "../core/service-trust-policy.js";

export interface ApplicationRoleProps {
  /** Name of the role and of its instance profile. */
  readonly name: string;
}

export class ApplicationRole extends Construct {
  readonly role: IamRole;
  readonly instanceProfile: IamInstanceProfile;

  constructor(scope: Construct, id: string, props: ApplicationRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, "role", {
      name: props.name,
      description: "The application's instances: reads its configuration, secrets and media (policies attached by the landing zone)",
      assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
    });
    this.instanceProfile = new IamInstanceProfile(this, "instance_profile", { name: props.name, role: this.role.name });
  }
}
