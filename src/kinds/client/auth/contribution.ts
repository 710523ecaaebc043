import type { ClientContribution, FeatureInput } from "../featureTypes.js";
import { endpointKey, type Endpoint } from "../../../model/types.js";
import { UserError } from "../../../util/errors.js";
import type { AuthPlan } from "./plan.js";
import { authHooksData, PLACEHOLDER, putParameterNotes } from "./render.js";
import { oneTokenNotice } from "./oneToken.js";
import { parameterTypes, writeBackTypes } from "./shapes.js";
import type { EnvValue, Note } from "../../../deployment/model.js";
import { choose, requirementsFor, SUPPORTED_TEXT, type Choice, type SupportedScheme } from "./schemes.js";

export const AUTH_AND_PREPROCESSOR =
  "automatic authentication and a custom preprocessor cannot be used together; set [auth] enabled = false to use your preprocessor";

export function planAuth(input: Pick<FeatureInput, "model" | "endpoints">): AuthPlan {
  const byName = new Map<string, SupportedScheme>();
  const perEndpoint = new Map<string, string[]>();
  const scopes = new Map<string, Set<string>>();
  const unsupported: AuthPlan["unsupported"] = [];
  const notices = new Set<string>();
  for (const e of input.endpoints) {
    const choice: Choice = choose(requirementsFor(input.model, e), input.model.securitySchemes);
    if (choice.kind === "chosen") {
      if (choice.merged) notices.add(oneTokenNotice(choice.merged));
      perEndpoint.set(endpointKey(e), choice.schemes.map((s) => s.name));
      for (const s of choice.schemes) {
        byName.set(s.name, s);
        if (s.kind === "oauth2" || s.kind === "oauth2-token") {
          const set = scopes.get(s.name) ?? new Set<string>();
          for (const scope of choice.requirement[s.name] ?? []) set.add(scope);
          scopes.set(s.name, set);
        }
      }
    } else {
      perEndpoint.set(endpointKey(e), []);
      if (choice.kind === "unsupported") unsupported.push({ endpoint: e, schemes: choice.schemes });
    }
  }
  const schemes = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const sortedScopes = new Map([...scopes].map(([k, v]) => [k, [...v].sort()]));
  return { schemes, perEndpoint, scopes: sortedScopes, unsupported, notices: [...notices] };
}

function unsupportedError(plan: AuthPlan): UserError {
  const names = [...new Set(plan.unsupported.flatMap((u) => u.schemes))];
  return new UserError(
    `the spec's security schemes are not supported: ${names.join(", ")}; picofun applies ${SUPPORTED_TEXT}. ` +
      "Set [auth] enabled = false in picofun.toml to generate the functions without authentication (and add your own preprocessor)",
  );
}

/** The authentication feature's contribution to a client generation. */
export function authContribution(input: FeatureInput): ClientContribution {
  const { config, namespace } = input;
  if (!config.auth.enabled) return {};
  const plan = planAuth(input);
  if (config.preprocessor) {
    // [auth] enabled = true with a preprocessor is refused when the config is loaded; here auth
    // is on by default, which only clashes when there is something to authenticate.
    if (plan.schemes.length) throw new UserError(`${config.configFile ?? "configuration"}: ${AUTH_AND_PREPROCESSOR}`);
    return {};
  }
  if (!plan.schemes.length) {
    if (plan.unsupported.length) throw unsupportedError(plan);
    return {};
  }
  const notes: Note[] = [...plan.notices];
  for (const u of plan.unsupported) {
    notes.push(
      `! ${endpointKey(u.endpoint)} allows only unsupported security (${u.schemes.join(", ")}): its function sends no credentials`,
    );
  }
  notes.push(...putParameterNotes(plan, namespace, config.auth));
  const environment: Record<string, EnvValue> = {
    PICORUN_CREDENTIALS_TTL: { ref: "credentialsTtl" },
    PICORUN_CREDENTIALS_PREFIX: { ref: "credentialsPrefix" },
  };
  const writeBack = writeBackTypes(plan);
  // A rotated refresh token is written back encrypted with the module's key.
  if (writeBack.length) environment.PICORUN_CREDENTIALS_KEY_ID = { ref: "credentialsKeyArn" };
  return {
    renders: [{ template: "client/auth_hooks.py.hbs", path: "layer/auth_hooks.py", data: authHooksData(plan, input) }],
    credentials: { store: config.auth.store, prefix: config.auth.parameterPrefix, types: parameterTypes(plan), writeBackTypes: writeBack, placeholder: PLACEHOLDER },
    layerFiles: ["auth_hooks.py"],
    environment,
    securityFor: (e) => plan.perEndpoint.get(endpointKey(e)) ?? [],
    notes,
  };
}
