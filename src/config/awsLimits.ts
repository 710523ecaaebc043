/**
 * AWS's own limits on values picofun.toml passes through to the deployed resources, checked when
 * the config is loaded so a bad value is one line now instead of a failure at `terraform plan`
 * (the generated Terraform variables and the CDK props checks hold the same rules).
 */
import { UserError } from "../util/errors.js";
import type { PicofunConfig } from "./types.js";

/** The retentions CloudWatch Logs allows, in days (picofun.toml's minimum is 1: 0 would mean never expire). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** Lambda takes at most 5 layers a function. */
export const MAX_LAYERS = 5;

/** AWS tags: 50 a resource, keys up to 128 characters, values up to 256, no "aws:" prefix. */
export const TAG_LIMITS = { count: 50, key: 128, value: 256 } as const;

/** Added to every resource by the generated module (a user tag of that name replaces it). */
const GENERATED_TAG = "generated_by";

const POWERTOOLS = ":layer:AWSLambdaPowertoolsPython";

function excerpt(text: string): string {
  return JSON.stringify(text.length > 24 ? `${text.slice(0, 24)}...` : text);
}

/** What is wrong with one tag, or undefined. */
export function tagProblem(key: string, value: string): string | undefined {
  if (!key.length) return "a tag key cannot be empty";
  if (key.length > TAG_LIMITS.key) return `tag key ${excerpt(key)} is longer than ${TAG_LIMITS.key} characters`;
  if (value.length > TAG_LIMITS.value) return `tag ${excerpt(key)} has a value longer than ${TAG_LIMITS.value} characters`;
  if (/^aws:/i.test(key)) return `tag key ${excerpt(key)} starts with "aws:", which is reserved by AWS`;
  return undefined;
}

/** What is wrong with a set of tags (each one, and how many with generated_by), or undefined. */
export function tagsProblem(tags: Record<string, string>): string | undefined {
  for (const [key, value] of Object.entries(tags)) {
    const problem = tagProblem(key, value);
    if (problem) return problem;
  }
  const count = Object.keys(tags).length + (Object.hasOwn(tags, GENERATED_TAG) ? 0 : 1);
  if (count > TAG_LIMITS.count) {
    return `${count - 1} tags and picofun's ${GENERATED_TAG} make ${count}: AWS allows ${TAG_LIMITS.count} tags a resource`;
  }
  return undefined;
}

/** How many layers each function gets: the configured ones, plus the runtime and Powertools layers of the client kind. */
export function layerCount(c: Pick<PicofunConfig, "kind" | "layers" | "powertoolsLayer">): number {
  if (c.kind !== "client") return c.layers.length;
  const powertools = c.powertoolsLayer && !c.layers.some((arn) => arn.includes(POWERTOOLS)) ? 1 : 0;
  return c.layers.length + 1 + powertools;
}

/** Throws one line for the first value AWS would refuse. */
export function checkAwsLimits(c: PicofunConfig, where: string): void {
  if (!LOG_RETENTION_DAYS.includes(c.logRetentionDays)) {
    throw new UserError(`${where}: "log_retention_days" must be one CloudWatch Logs allows: ${LOG_RETENTION_DAYS.join(", ")}; got ${c.logRetentionDays}`);
  }
  const layers = layerCount(c);
  if (layers > MAX_LAYERS) {
    const added = layers - c.layers.length;
    const why = added ? ` (${c.layers.length} in "layers" and ${added} picofun adds: the runtime layer${added > 1 ? " and Powertools; powertools_layer = false drops that one" : ""})` : "";
    throw new UserError(`${where}: a Lambda function takes ${MAX_LAYERS} layers or fewer, this config gives it ${layers}${why}`);
  }
  const tags = tagsProblem(c.tags);
  if (tags) throw new UserError(`${where}: [tags] ${tags}`);
}
