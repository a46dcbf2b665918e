// Values Terraform knows only after apply, made readable for rules: the configuration's template
// text (`"${aws_s3_bucket.media.arn}/*"`, a policy's JSON with ARN-splitting expressions in it)
// with each interpolation replaced by a placeholder that names its expression (`⟨aws_s3_bucket.media.arn⟩`).
// A rule can then judge everything around the unknown parts, and tell whether an unknown part
// could change its verdict (an unknown Resource might be "*"; a bucket's ARN never is).

const OPEN = "⟨";
const CLOSE = "⟩";
const PLACEHOLDERS = /⟨[^⟨⟩]*⟩/g;

/** The placeholder of one interpolation; quotes and backslashes dropped so it fits in any JSON string. */
export function placeholder(expression: string): string {
  return `${OPEN}${expression.replace(/[⟨⟩"\\]/g, "'").replace(/\s+/g, " ").trim()}${CLOSE}`;
}

export function hasPlaceholder(value: unknown): boolean {
  return typeof value === "string" && new RegExp(PLACEHOLDERS.source).test(value);
}

/** The expressions of the placeholders in a value. */
export function placeholderExpressions(value: string): string[] {
  return [...value.matchAll(PLACEHOLDERS)].map((match) => match[0].slice(1, -1));
}

/**
 * An attribute of a resource of the plan (`aws_kms_key.secrets.arn`, `module.x.aws_lb.nlb.dns_name`):
 * an identifier or a name AWS assigns, never a wildcard or a literal the user chose.
 */
export function isResourceAttribute(expression: string): boolean {
  return /^(module\.[\w-]+(\[[^\]]+\])?\.)*(data\.)?aws_\w+\.[\w-]+(\[[^\]]+\])?\.[\w.]+$/.test(expression);
}

/**
 * Whether a string with placeholders could equal `literal` ("*"): "no" when the known text rules it
 * out or every placeholder is a resource attribute, "maybe" when an arbitrary expression could make it so.
 */
export function couldEqual(value: string, literal: string): "yes" | "no" | "maybe" {
  if (!hasPlaceholder(value)) return value === literal ? "yes" : "no";
  const expressions = placeholderExpressions(value);
  if (expressions.every(isResourceAttribute)) return "no";
  const known = value.replace(PLACEHOLDERS, "");
  return literal.startsWith(known) || [...known].every((char) => literal.includes(char)) ? "maybe" : "no";
}

/**
 * Renders Terraform template text with placeholders. In `json` mode an interpolation that stands
 * for a whole JSON value (`"Resource": ${jsonencode(local.arns)}`) becomes a quoted placeholder.
 * Undefined for template directives (`%{ for }`), which no placeholder can stand for.
 */
export function renderTemplate(text: string, options: { json?: boolean } = {}): string | undefined {
  let out = "";
  let inString = false;
  for (let index = 0; index < text.length; ) {
    const char = text[index];
    if ((char === "$" || char === "%") && text[index + 1] === char && text[index + 2] === "{") {
      out += `${char}{`;
      index += 3;
      continue;
    }
    if (char === "%" && text[index + 1] === "{") return undefined;
    if (char === "$" && text[index + 1] === "{") {
      const end = interpolationEnd(text, index + 2);
      if (end < 0) return undefined;
      const marker = placeholder(text.slice(index + 2, end).replace(/^~|~$/g, ""));
      out += options.json && !inString ? `"${marker}"` : marker;
      index = end + 1;
      continue;
    }
    if (options.json) {
      if (char === "\\" && inString) {
        out += text.slice(index, index + 2);
        index += 2;
        continue;
      }
      if (char === '"') inString = !inString;
    }
    out += char;
    index++;
  }
  return out;
}

/** Index of the `}` closing an interpolation whose body starts at `start`; quoted strings inside are skipped. */
function interpolationEnd(text: string, start: number): number {
  let depth = 0;
  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (char === '"') {
      for (index++; index < text.length && text[index] !== '"'; index++) if (text[index] === "\\") index++;
      continue;
    }
    if (char === "{") depth++;
    else if (char === "}") {
      if (depth === 0) return index;
      depth--;
    }
  }
  return -1;
}

/** Every string inside a value rendered with placeholders; undefined when any of them cannot be. */
export function renderStrings(value: unknown): unknown {
  if (typeof value === "string") return renderTemplate(value);
  if (Array.isArray(value)) {
    const items = value.map(renderStrings);
    return items.some((item, index) => item === undefined && value[index] !== undefined) ? undefined : items;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(([key, item]) => [key, renderStrings(item)] as const);
    return entries.some(([key, item]) => item === undefined && (value as Record<string, unknown>)[key] !== undefined) ? undefined : Object.fromEntries(entries);
  }
  return value;
}
