import { existsSync, readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { Check, Needs } from "./types.js";
import { onPath, probe } from "./probe.js";
import { proxyFor, reachable } from "./reach.js";

const INSTALL = "https://developer.hashicorp.com/terraform/install";
const PROVIDER = ["registry.terraform.io", "hashicorp", "aws"];
const REGISTRY = "https://registry.terraform.io/.well-known/terraform.json";
/** The generated modules ask for hashicorp/aws >= 5.100, < 7.0 (docs/architecture.md, Provider versions). */
function usable(version: string): boolean {
  const [major, minor] = version.split(".").map(Number);
  return (major === 5 && minor >= 100) || major === 6;
}

function needsTerraform(needs: Needs): boolean {
  return !!needs.configFile && needs.iac !== "cdk";
}

export async function terraformCheck(needs: Needs): Promise<Check> {
  const base = { name: "terraform", purpose: "deploys the generated Terraform module (terraform init, apply)", needed: needsTerraform(needs) };
  const exe = onPath("terraform");
  const run = exe ? await probe(exe, ["version", "-json"], 15_000, { ...process.env, CHECKPOINT_DISABLE: "1" }) : "missing";
  if (run === "missing" || run.code !== 0) return { ...base, state: "missing", detail: exe ? `${exe} does not run` : "not on PATH", fix: INSTALL };
  let version = "";
  try {
    version = (JSON.parse(run.stdout) as { terraform_version?: string }).terraform_version ?? "";
  } catch {
    version = /v(\d+\.\d+\.\d+)/.exec(run.stdout)?.[1] ?? "";
  }
  return { ...base, state: "ok", detail: `${version || "unknown version"} (${exe})` };
}

/** Terraform's platform name for this machine (linux_amd64, darwin_arm64, ...). */
function platform(): string {
  const os = process.platform === "win32" ? "windows" : process.platform;
  const arch = ({ x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm" } as Record<string, string>)[process.arch] ?? process.arch;
  return `${os}_${arch}`;
}

export interface CliConfig {
  mirrors: string[];
  networkMirrors: string[];
  caches: string[];
}

/**
 * The provider sources named in the text of a Terraform CLI config: filesystem and network
 * mirrors, the plugin cache. Read, not evaluated: `#` and `//` comment lines are skipped.
 */
export function parseCliConfig(text: string): CliConfig {
  const live = text
    .split("\n")
    .filter((l) => !/^\s*(#|\/\/)/.test(l))
    .join("\n");
  const all = (re: RegExp) => [...live.matchAll(re)].map((m) => m[1]);
  return {
    mirrors: all(/\bfilesystem_mirror\s*\{[^}]*?\bpath\s*=\s*"([^"\n]+)"/g),
    networkMirrors: all(/\bnetwork_mirror\s*\{[^}]*?\burl\s*=\s*"([^"\n]+)"/g),
    caches: all(/\bplugin_cache_dir\s*=\s*"([^"\n]+)"/g),
  };
}

/** Terraform's CLI config (TF_CLI_CONFIG_FILE or ~/.terraformrc) and TF_PLUGIN_CACHE_DIR. */
function readCliConfig(): CliConfig {
  const file = process.env.TF_CLI_CONFIG_FILE || join(homedir(), ".terraformrc");
  const config = parseCliConfig(existsSync(file) ? readFileSync(file, "utf8") : "");
  if (process.env.TF_PLUGIN_CACHE_DIR) config.caches.push(process.env.TF_PLUGIN_CACHE_DIR);
  return config;
}

/** Terraform's implied local mirror folders on this system. */
function impliedMirrors(): string[] {
  const home = homedir();
  const dataHome = process.env.XDG_DATA_HOME || join(home, ".local", "share");
  const dataDirs = (process.env.XDG_DATA_DIRS || "/usr/local/share:/usr/share").split(":").filter(Boolean);
  return [join(home, ".terraform.d", "plugins"), join(dataHome, "terraform", "plugins"), ...dataDirs.map((d) => join(d, "terraform", "plugins"))];
}

/** Versions of hashicorp/aws for this platform in a mirror or cache folder (unpacked or packed layout). */
function versionsIn(dir: string): string[] {
  const base = join(dir, ...PROVIDER);
  if (!existsSync(base)) return [];
  const found = new Set<string>();
  for (const entry of readdirSync(base)) {
    if (existsSync(join(base, entry, platform()))) found.add(entry);
    const packed = /^terraform-provider-aws_(\d+\.\d+\.\d+)_(\w+)\.zip$/.exec(entry);
    if (packed && packed[2] === platform()) found.add(packed[1]);
  }
  return [...found];
}

/** Can `terraform init` get hashicorp/aws: a local mirror or cache, a network mirror, or the registry. */
export async function providerCheck(needs: Needs, offline: boolean): Promise<Check> {
  const base = { name: "aws provider", purpose: "terraform init installs hashicorp/aws (>= 5.100, < 7.0)", needed: needsTerraform(needs) };
  const config = readCliConfig();
  const places = [...config.mirrors.map((d) => [d, "filesystem mirror"]), ...config.caches.map((d) => [d, "plugin cache"]), ...impliedMirrors().map((d) => [d, "local mirror"])];
  const seen: string[] = [];
  for (const [dir, kind] of places) {
    const versions = versionsIn(dir);
    seen.push(...versions);
    const good = versions.filter(usable);
    if (good.length) return { ...base, state: "ok", detail: `${good.join(", ")} in ${dir} (${kind})` };
  }
  if (config.networkMirrors.length) return { ...base, state: "ok", detail: `network mirror ${config.networkMirrors[0]} (from the CLI config; not contacted)` };
  const fix = "run `terraform providers mirror <dir>` where the registry is reachable and point a filesystem_mirror in ~/.terraformrc at <dir>";
  const older = seen.length ? `; found only ${[...new Set(seen)].join(", ")}` : "";
  if (offline) return { ...base, state: "skipped", detail: `no local mirror${older}; terraform init would download it from registry.terraform.io (not tried: --offline)` };
  if (await reachable(REGISTRY)) return { ...base, state: "ok", detail: `terraform init downloads it from registry.terraform.io (reachable)${older}` };
  return { ...base, state: "missing", detail: `no local mirror${older} and registry.terraform.io is not reachable${proxyFor(new URL(REGISTRY), process.env) ? " through the proxy in HTTPS_PROXY" : ""}`, fix };
}
