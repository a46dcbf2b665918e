// What a secret looks like in a plan, for the rules over Lambda environments and SSM parameters:
// values that are credentials whatever their name (in the spirit of checkov's secret detectors),
// references to attributes that hold secrets, names that say "secret", and values that only point
// at a secret (an ARN, a parameter path, an identifier of a created resource).
import { hasPlaceholder, isResourceAttribute, placeholderExpressions } from "../unknown-values.js";

/** Credentials by shape: AWS access keys, URIs with a password, private keys, JWTs. */
const CREDENTIAL_SHAPES = [
  /\b(AKIA|ASIA)[0-9A-Z]{16}\b/,
  /:\/\/[^/\s:@]+:[^/\s@]+@/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\beyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}/,
];

/** Attributes whose value is a secret (`aws_secretsmanager_secret_version.x.secret_string`, `random_password.x.result`). */
const SECRET_ATTRIBUTES = /\.(secret_string|secret_binary|result|password|master_password|secret|private_key|private_key_pem|ses_smtp_password_v4|token)$/;

/** Attributes that identify or locate something and are never secret. */
const POINTER_ATTRIBUTES = /\.(arn|id|name|bucket|endpoint|reader_endpoint|address|dns_name|domain_name|bucket_domain_name|bucket_regional_domain_name|hosted_zone_id|zone_id|service_name|port|url|invoke_arn|key_id|function_name)$/;

const SECRET_WORDS = new Set(["PASSWORD", "PASSWD", "PASS", "PWD", "SECRET", "SECRETS", "TOKEN", "APIKEY", "CREDENTIAL", "CREDENTIALS"]);
const SECRET_PAIRS = [["API", "KEY"], ["PRIVATE", "KEY"], ["ACCESS", "KEY"]];

export function looksLikeSecret(value: string): boolean {
  const literal = value.replace(/⟨[^⟨⟩]*⟩/g, " ");
  return CREDENTIAL_SHAPES.some((shape) => shape.test(literal)) || highEntropyToken(literal.trim());
}

/** A reference to an attribute that holds a secret, or undefined. */
export function secretAttributeReference(value: string): string | undefined {
  return placeholderExpressions(value).find((expression) => SECRET_ATTRIBUTES.test(expression.replace(/\[[^\]]*\]/g, "")));
}

/** `DB_PASS`, `dbPassword`, `api-key`, `SECRET_KEY`: the name's words include a secret word. */
export function isSecretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toUpperCase());
  return words.some((word) => SECRET_WORDS.has(word)) || SECRET_PAIRS.some(([first, second]) => words.some((word, index) => word === first && words[index + 1] === second));
}

/** A value that only points at a secret: an ARN, a parameter path, identifiers of created resources. */
export function isSecretPointer(value: string): boolean {
  if (hasPlaceholder(value)) {
    const expressions = placeholderExpressions(value);
    const literal = value.replace(/⟨[^⟨⟩]*⟩/g, "");
    return expressions.every((expression) => isResourceAttribute(expression) && POINTER_ATTRIBUTES.test(expression.replace(/\[[^\]]*\]/g, ""))) && !looksLikeSecret(literal);
  }
  return /^arn:[\w-]+:/.test(value) || /^\/[\w./-]+$/.test(value);
}

/** A literal of 24+ characters drawn from a key alphabet with the entropy of random bytes. */
function highEntropyToken(value: string): boolean {
  if (value.length < 24 || !/^[A-Za-z0-9+/=_-]+$/.test(value)) return false;
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  const entropy = [...counts.values()].reduce((sum, count) => sum - (count / value.length) * Math.log2(count / value.length), 0);
  return entropy >= (/^[0-9a-f]+$/i.test(value) ? 3.0 : 4.2);
}
