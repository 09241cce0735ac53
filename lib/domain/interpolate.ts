/**
 * Interpolation of string values: `${env.name}`, `${service.name}`, `${var:NAME}`,
 * `${secret:NAME}`, and `$${` for a literal `${`. Keys are never interpolated. Anything that
 * cannot be resolved is an error at its JSON pointer: a config that silently became "" is worse
 * than one that does not save.
 */
import { isConfigObject, setOwn, type ConfigObject, type ConfigValue, type FieldError } from "./config-value";
import { isValidName } from "./names";
import { childPointer } from "./pointer";

export type InterpolationContext = {
  env: string;
  service: string;
  vars: Record<string, string>;
  /** null when the caller may not read secrets: names are then not checked and values are masked. */
  secrets: Record<string, string> | null;
  maskSecrets: boolean;
};
export type RefKind = "var" | "secret" | "env" | "service";
export type InterpolationRef = { pointer: string; kind: RefKind; name: string };
export type InterpolationResult =
  | { ok: true; value: ConfigObject; secretPaths: string[]; refs: InterpolationRef[] }
  | { ok: false; errors: FieldError[] };

export const VAR_NAME_RE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
export const secretPlaceholder = (name: string) => `•••• (secret ${name})`;

export function interpolate(value: ConfigObject, ctx: InterpolationContext): InterpolationResult {
  const errors: FieldError[] = [];
  const refs: InterpolationRef[] = [];
  const secretPaths: string[] = [];
  const mask = ctx.maskSecrets || ctx.secrets === null;

  const expand = (s: string, pointer: string): string => {
    if (!s.includes("$")) return s;
    let out = "";
    let i = 0;
    let sawSecret = false;
    while (i < s.length) {
      const j = s.indexOf("$", i);
      if (j < 0) {
        out += s.slice(i);
        break;
      }
      if (s.startsWith("$${", j)) {
        out += s.slice(i, j) + "${";
        i = j + 3;
        continue;
      }
      if (!s.startsWith("${", j)) {
        out += s.slice(i, j + 1);
        i = j + 1;
        continue;
      }
      out += s.slice(i, j);
      const end = s.indexOf("}", j + 2);
      if (end < 0) {
        errors.push({ path: pointer, message: `unterminated "\${" (write "$\${" for a literal "\${")` });
        return s;
      }
      const written = s.slice(j, end + 1);
      const expr = s.slice(j + 2, end).trim();
      i = end + 1;
      const resolved = resolveExpr(expr, written, pointer);
      if (resolved === null) continue;
      if (resolved.secret) sawSecret = true;
      out += resolved.text;
    }
    if (sawSecret) secretPaths.push(pointer);
    return out;
  };

  const resolveExpr = (expr: string, written: string, pointer: string): { text: string; secret?: true } | null => {
    const error = (message: string) => {
      errors.push({ path: pointer, message });
      return null;
    };
    if (expr === "env.name") {
      refs.push({ pointer, kind: "env", name: ctx.env });
      return { text: ctx.env };
    }
    if (expr === "service.name") {
      refs.push({ pointer, kind: "service", name: ctx.service });
      return { text: ctx.service };
    }
    const m = /^(var|secret):(.*)$/.exec(expr);
    if (!m) {
      return error(`unknown expression ${written}: use \${env.name}, \${service.name}, \${var:NAME} or \${secret:NAME} (write $\${ for a literal \${)`);
    }
    const name = m[2]!.trim();
    if (m[1] === "var") {
      if (!VAR_NAME_RE.test(name)) return error(`invalid variable name ${JSON.stringify(name)} in ${written}`);
      if (!Object.prototype.hasOwnProperty.call(ctx.vars, name)) return error(`unknown variable ${JSON.stringify(name)} in ${written}`);
      refs.push({ pointer, kind: "var", name });
      return { text: ctx.vars[name]! };
    }
    if (!isValidName(name)) {
      return error(`invalid secret name ${JSON.stringify(name)} in ${written}: secret names are lowercase letters, digits and '-'`);
    }
    const known = ctx.secrets !== null && Object.prototype.hasOwnProperty.call(ctx.secrets, name);
    if (ctx.secrets !== null && !known) return error(`unknown secret ${JSON.stringify(name)} in ${written}`);
    refs.push({ pointer, kind: "secret", name });
    return { text: mask ? secretPlaceholder(name) : ctx.secrets![name]!, secret: true };
  };

  const walk = (v: ConfigValue, pointer: string): ConfigValue => {
    if (typeof v === "string") return expand(v, pointer);
    if (Array.isArray(v)) return v.map((x, i) => walk(x, childPointer(pointer, i)));
    if (isConfigObject(v)) {
      const out: ConfigObject = {};
      for (const key of Object.keys(v)) setOwn(out, key, walk(v[key] as ConfigValue, childPointer(pointer, key)));
      return out;
    }
    return v;
  };

  const out = walk(value, "") as ConfigObject;
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: out, secretPaths, refs };
}

