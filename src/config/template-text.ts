// Terraform evaluates `${...}` and `%{...}` in every string of cdk.tf.json, keys included, on the
// machine that runs the plan. A config value must reach AWS exactly as written, so every string
// the config hands to the stack is escaped once, here (`$${`, `%%{`): a tag such as
// `${file("/etc/hostname")}` is planned as that text, never evaluated.

export function escapeTemplateText(text: string): string {
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/** A copy of a tree of plain values with every string (and object key) escaped. */
export function inertTemplateText<T>(value: T): T {
  if (typeof value === "string") return escapeTemplateText(value) as T;
  if (Array.isArray(value)) return value.map((item) => inertTemplateText(item)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [escapeTemplateText(key), inertTemplateText(item)])) as T;
  }
  return value;
}

