// The customer managed KMS key of the landing zone's secrets and SecureString parameters, or an
// existing key named in config. The key policy is AWS's default (the account may delegate through
// IAM), and every grant in the stack is an IAM policy limited by `kms:ViaService`.
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";

export interface EncryptionKeyProps {
  /** Alias without the `alias/` prefix. */
  readonly alias: string;
  readonly description: string;
  /**
   * Use this key instead of creating one.
   * @default a new key with yearly rotation
   */
  readonly existingKeyArn?: string;
  /** @default 30 */
  readonly deletionWindowDays?: number;
  /** `lifecycle.prevent_destroy` on the key. @default false */
  readonly preventDestroy?: boolean;
}

export class EncryptionKey extends Construct {
  readonly arn: string;
  readonly key?: KmsKey;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    if (props.existingKeyArn) {
      this.arn = props.existingKeyArn;
      return;
    }
    this.key = new KmsKey(this, "key", {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowDays ?? 30,
      lifecycle: { preventDestroy: props.preventDestroy ?? false },
      tags: { Name: props.alias },
    });
    new KmsAlias(this, "alias", { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
    this.arn = this.key.arn;
  }
}
