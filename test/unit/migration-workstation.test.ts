import { describe, expect, it } from "vitest";
import { MigrationWorkstation, WORKSTATION_USER_DATA } from "../../modules/network/migration-workstation.js";
import { testVpc } from "../helpers/network-fixtures.js";
import { onlyResource, resourcesOf, synthConstruct } from "../helpers/synth.js";

describe("MigrationWorkstation", () => {
  const json = synthConstruct((scope) => {
    new MigrationWorkstation(scope, "workstation", {
      vpc: testVpc(scope, "vpc"),
      region: "us-east-1",
      name: "lz-dev",
      instanceType: "t3.micro",
      amiSsmParameter: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
      sessionManagerSecurityGroupName: "dev-ssm-sg",
    }).grantReadSecrets("database_secrets", [{ secretArn: "arn:aws:secretsmanager:us-east-1:111122223333:secret:dms-lz/dev/dms-target-AbCdEf", kmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/abc" }]);
  });

  it("installs the PostgreSQL client and Node.js at first boot, and may read the secrets it is granted", () => {
    expect(onlyResource(json, "aws_launch_template").user_data).toBe(`\${base64encode(${JSON.stringify(WORKSTATION_USER_DATA)})}`);
    expect(WORKSTATION_USER_DATA).toContain("dnf install -y postgresql16 nodejs20");
    const policy = JSON.parse(onlyResource(json, "aws_iam_role_policy").policy as string);
    expect(policy.Statement[0]).toMatchObject({ Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: ["arn:aws:secretsmanager:us-east-1:111122223333:secret:dms-lz/dev/dms-target-AbCdEf"] });
    expect(policy.Statement[1]).toMatchObject({ Action: "kms:Decrypt", Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } } });
  });

  it("resolves the AMI at launch from SSM, requires IMDSv2 and encrypts the root volume", () => {
    const template = onlyResource(json, "aws_launch_template");
    expect(template.image_id).toBe("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
    expect(template.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1 });
    expect(template.block_device_mappings).toEqual([expect.objectContaining({ ebs: expect.objectContaining({ encrypted: "true" }) })]);
    expect(json.data).toBeUndefined();
  });

  it("sits in a private subnet with no public address, no key pair and no inbound rule", () => {
    const instance = onlyResource(json, "aws_instance");
    expect(instance).toMatchObject({ associate_public_ip_address: false, subnet_id: "${aws_subnet.vpc_private_subnet_0.id}" });
    expect(instance.key_name).toBeUndefined();
    const ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule"));
    expect(ingress.every((rule) => rule.security_group_id !== "${aws_security_group.workstation_security_group.id}")).toBe(true);
  });

  it("is reached through Session Manager endpoints with the managed instance policy", () => {
    const services = Object.values(resourcesOf(json, "aws_vpc_endpoint")).map((e) => e.service_name);
    expect(services.sort()).toEqual(["com.amazonaws.us-east-1.ec2messages", "com.amazonaws.us-east-1.ssm", "com.amazonaws.us-east-1.ssmmessages"]);
    expect(onlyResource(json, "aws_iam_role_policy_attachment").policy_arn).toBe("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
  });
});
