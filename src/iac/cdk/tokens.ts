/**
 * The CDK reads some text as its own tokens wherever a string reaches a construct: `${Token[...]}`,
 * `#{Token[...]}` and numbers such as `-1.8881545897e+289`. At `cdk synth` such text from a spec
 * would become a CloudFormation expression (`${Token[AWS.AccountId.8]}` turns into
 * `{"Ref": "AWS::AccountId"}`) or stop the synth. The CDK has no escape for them, so a spec
 * holding one is refused for iac = "cdk" (the Terraform module takes it as text).
 */
import { UserError } from "../../util/errors.js";
import { terminalSafe } from "../../util/terminalText.js";

const CDK_TOKEN = /\$\{Token\[|#\{Token\[|-1\.\d{10,16}e\+289/;

/** Refuses `value` (data a CDK construct reads from `file`) when one of its strings or keys holds a CDK token. */
export function refuseCdkTokens(value: unknown, file: string): void {
  const at: string[] = [];
  const walk = (v: unknown): boolean => {
    if (typeof v === "string") return CDK_TOKEN.test(v);
    if (Array.isArray(v)) return v.some((x, i) => (at.push(String(i)), walk(x) || (at.pop(), false)));
    if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        at.push(k);
        if (CDK_TOKEN.test(k) || walk(x)) return true;
        at.pop();
      }
    }
    return false;
  };
  if (!walk(value)) return;
  const where = at.map((k) => terminalSafe(k.length > 60 ? `${k.slice(0, 57)}...` : k)).join(" > ");
  throw new UserError(
    `${file} (${where}): the spec's text holds something the AWS CDK reads as one of its tokens (\${Token[...]}, #{Token[...]} or a number like -1.8e+289), which cdk synth would turn into a CloudFormation expression; change that text in the spec, or generate with iac = "terraform"`,
  );
}
