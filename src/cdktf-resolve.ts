// A drop-in for cdktf 0.21's token resolver (cdktf/lib/tokens/private/resolve.js), which is half
// of a synth's CPU. The original builds two resolve contexts (closures, a spread of its options and
// a copy of the key path) and joins the whole key path into a string for every key and value of
// every resource, and runs three regular expressions over every string, though only tokens ever
// see a context and only errors the path. This one walks plain data with one shared path and makes
// a context only where a token is found; everything a token or a resolver can observe (contexts,
// their flags and paths, the order of resolver calls, the errors) is built exactly as the original
// builds it. test/unit/cdktf-overrides.test.ts compares the two on every reference environment and
// on the token shapes cdktf has.
import { IConstruct } from "constructs";
import { IPostProcessor, IResolvable, IResolveContext, ITokenResolver, StringConcat, Token, TokenizedStringFragments } from "cdktf";
import errors from "cdktf/lib/errors.js";
import encoding from "cdktf/lib/tokens/private/encoding.js";
import { TokenMap } from "cdktf/lib/tokens/private/token-map.js";

/** The options of cdktf's resolve (IResolveOptions in tokens/private/resolve.d.ts). */
export interface ResolveOptions {
  readonly scope: IConstruct;
  readonly preparing: boolean;
  readonly resolver: ITokenResolver;
  readonly prefix?: string[];
  readonly previousContext?: IResolveContext;
}

// Read once: a bundler's ES-module view of a CommonJS package reads every name through a getter.
const { TokenString, containsNumberListTokenElement, createTokenDouble } = encoding;
const { STRING_MAP_TOKEN_VALUE, ANY_MAP_TOKEN_VALUE, NUMBER_MAP_TOKEN_VALUE } = Token;
const tokenMap = TokenMap.instance.bind(TokenMap);
// Every token marker (string, list and map) contains this; a string without it holds no token.
const TOKEN_MARK = "TfToken[";
// Most strings with a token are one token and nothing else ("${TfToken[TOKEN.12]}"), which
// TokenString.split would take apart with two regular expressions into one token fragment.
const WHOLE_STRING_TOKEN = new RegExp(`^\\$\\{TfToken\\[([${encoding.VALID_KEY_CHARS}]+)\\]\\}$`);
const MAX_DEPTH = 200;
// Number tokens are negative doubles of enormous magnitude (their top bits are the marker), the
// least negative being token 0: any number above it is a plain number, with no need to decode it.
const LEAST_NEGATIVE_NUMBER_TOKEN = Math.max(createTokenDouble(0, false), createTokenDouble(0, true));

export function resolve(obj: unknown, options: ResolveOptions): unknown {
  return walk(obj, options, options.prefix ? [...options.prefix] : []);
}

const pathName = (path: readonly string[]): string => `/${path.join("/")}`;

/** The original's makeContext: flags copied from the previous context, the path at this point. */
function makeContext(options: ResolveOptions, path: readonly string[]): [IResolveContext, IPostProcessor] {
  const prefix = [...path];
  const previous = options.previousContext;
  let postProcessor: IPostProcessor | undefined;
  const context: IResolveContext = {
    preparing: options.preparing,
    scope: options.scope,
    suppressBraces: previous?.suppressBraces,
    ignoreEscapes: previous?.ignoreEscapes,
    warnEscapes: previous?.warnEscapes,
    iteratorContext: previous?.iteratorContext,
    registerPostProcessor(processor: IPostProcessor) {
      postProcessor = processor;
    },
    // The original spreads its options here; they hold just these five, and a spread of objects
    // of several shapes is the slowest line of a synth.
    resolve(x: unknown) {
      return resolve(x, { scope: options.scope, preparing: options.preparing, resolver: options.resolver, prefix, previousContext: context });
    },
  };
  return [context, { postProcess: (x: unknown) => (postProcessor ? postProcessor.postProcess(x, context) : x) }];
}

function walk(obj: unknown, options: ResolveOptions, path: string[]): unknown {
  if (path.length > MAX_DEPTH) throw errors.unableToResolveCircularReference(pathName(path));
  if (obj === undefined) return undefined;
  if (obj === null) return null;
  switch (typeof obj) {
    case "function":
      throw errors.cannotResolveFunction(pathName(path), obj);
    case "string":
      return resolveString(obj, options, path);
    case "number":
      return resolveNumber(obj, options, path);
    case "object":
      break;
    default:
      return obj;
  }
  if (Array.isArray(obj)) return resolveArray(obj, options, path);
  // Most objects here are plain data: no Date, construct or token, and a `resolve` method only
  // as a key of their own. Looking those names up on thousands of differently shaped objects is
  // slow, so they are looked up on class instances only.
  const prototype = Object.getPrototypeOf(obj);
  const plain = prototype === Object.prototype || prototype === null;
  if (!plain && obj instanceof Date) return obj;
  const keys = Object.keys(obj);
  let ownResolve = false;
  for (const key of keys) {
    if (key === "resolve") ownResolve = true;
    if (key.includes(TOKEN_MARK) && TokenString.forMapToken(key).test()) {
      return options.resolver.resolveMap(obj as Record<string, unknown>, makeContext(options, path)[0]);
    }
  }
  if ((!plain || ownResolve) && typeof (obj as { resolve?: unknown }).resolve === "function") {
    const [context, postProcessor] = makeContext(options, path);
    return options.resolver.resolveToken(obj as IResolvable, context, postProcessor);
  }
  // A construct here is a typo that would recurse through parent and children forever.
  if (!plain && (obj as { _children?: unknown })._children !== undefined && (obj as { _metadata?: unknown })._metadata !== undefined) {
    throw errors.constructsCannotBeResolved(pathName(path));
  }
  const result: Record<string, unknown> = {};
  for (const key of keys) {
    const resolvedKey = resolveString(key, options, path);
    if (typeof resolvedKey !== "string") throw errors.mapKeyMustResolveToString(pathName(path), key, resolvedKey);
    path.push(key);
    const value = walk((obj as Record<string, unknown>)[key], options, path);
    path.pop();
    if (value !== undefined) result[resolvedKey] = value;
  }
  return result;
}

function resolveString(str: string, options: ResolveOptions, path: string[]): unknown {
  const marked = str.includes(TOKEN_MARK);
  if (marked && TokenString.forListToken(str).test()) throw errors.encodedListTokenInScalarStringContext();
  if (str === STRING_MAP_TOKEN_VALUE || str === ANY_MAP_TOKEN_VALUE) throw errors.encodedMapTokenInScalarStringContext();
  let resolved: unknown = str;
  if (marked) {
    const previous = options.previousContext;
    const whole = WHOLE_STRING_TOKEN.exec(str);
    if (whole) {
      const fragments = new TokenizedStringFragments();
      fragments.addToken(tokenMap().lookupToken(whole[1]));
      resolved = options.resolver.resolveString(fragments, makeContext(options, path)[0]);
    } else {
      const tokenString = TokenString.forString(str, !previous?.ignoreEscapes, previous?.warnEscapes);
      if (tokenString.test()) {
        const tokens = tokenMap();
        resolved = options.resolver.resolveString(tokenString.split(tokens.lookupToken.bind(tokens)), makeContext(options, path)[0]);
      }
    }
  }
  // Numbers encoded into a string ("-1.888e+289"); the original applies this to whatever the
  // string tokens resolved to, string or not, and so does this. Its pattern matches more than
  // number tokens ("1e5"), but only a token changes the string, and every token is written with
  // "e+" (a negative double of enormous magnitude).
  if (typeof resolved !== "string" || resolved.includes("e+")) {
    const numberString = TokenString.forNumbers(resolved as string);
    if (numberString.test()) {
      const fragments = numberString.split((id: string) => tokenMap().lookupNumberToken(parseFloat(id)) as IResolvable);
      resolved = fragments.mapTokens(makeContext(options, path)[0]).join(new StringConcat());
    }
  }
  return resolved;
}

function resolveNumber(value: number, options: ResolveOptions, path: string[]): unknown {
  if (value === NUMBER_MAP_TOKEN_VALUE) throw errors.encodedMapTokenInScalarNumberContext();
  if (value > LEAST_NEGATIVE_NUMBER_TOKEN) return value;
  const token = tokenMap().lookupNumberToken(value);
  return token === undefined ? value : makeContext(options, path)[0].resolve(token);
}

function resolveArray(array: unknown[], options: ResolveOptions, path: string[]): unknown {
  let numbers = false;
  for (const element of array) {
    if (typeof element === "string" && element.includes(TOKEN_MARK) && TokenString.forListToken(element).test()) {
      return options.resolver.resolveList(array as string[], makeContext(options, path)[0]);
    }
    numbers ||= typeof element === "number";
  }
  if (numbers && containsNumberListTokenElement(array)) return options.resolver.resolveNumberList(array as number[], makeContext(options, path)[0]);
  const result: unknown[] = [];
  for (let index = 0; index < array.length; index++) {
    // Holes are skipped, as the original's Array.prototype.map skips them.
    if (!(index in array)) continue;
    path.push(`${index}`);
    const value = walk(array[index], options, path);
    path.pop();
    if (value !== undefined) result.push(value);
  }
  return result;
}
